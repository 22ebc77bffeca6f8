package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.helm.ReleaseOwnership.Claim;
import dev.orderly.helm.ReleaseOwnership.OtherOwner;
import dev.orderly.helm.ReleaseSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster side of {@link ReleaseOwnership}: reads a release's record Secrets, looks up another
 * owner, and marks the newest record as an OrderedRelease's. Each call is one or two requests.
 */
public class ReleaseClaims {
  // Helm's record Secrets are read and marked with this one.
  private final KubernetesClient client;
  // Other owners (OrderedReleases) are looked up with this one: the operator's bookkeeping.
  private final KubernetesClient owners;

  public ReleaseClaims(KubernetesClient client) {
    this(client, client);
  }

  private ReleaseClaims(KubernetesClient client, KubernetesClient owners) {
    this.client = client;
    this.owners = owners;
  }

  /**
   * These claims with Helm's record Secrets read and marked through {@code records} (e.g. a client
   * impersonating the release's ServiceAccount, so that its RBAC decides); another owner is still
   * looked up as before.
   */
  public ReleaseClaims readingRecordsAs(KubernetesClient records) {
    return new ReleaseClaims(records, owners);
  }

  /** Whose {@code resource}'s release is, from its record Secrets as they are now. */
  public Claim claim(OrderedRelease resource) {
    return ReleaseOwnership.claim(resource, secrets(resource));
  }

  /**
   * Whether {@code claim}'s owner is known to be gone: no OrderedRelease of its name, or one with
   * another UID (deleted and created again). An owner that cannot be named or read counts as
   * present, so a release is never taken from an owner that may still exist.
   */
  public boolean ownerGone(Claim claim) {
    if (!(claim instanceof OtherOwner other) || other.owner() == null) {
      return false;
    }
    String[] parts = other.owner().split("/", 2);
    if (parts.length != 2) {
      return false;
    }
    try {
      OrderedRelease owner =
          owners.resources(OrderedRelease.class).inNamespace(parts[0]).withName(parts[1]).get();
      return owner == null || !other.uid().equals(owner.getMetadata().getUid());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return true;
      }
      return false; // e.g. 403 outside the watched namespaces: cannot tell, so assume it exists
    }
  }

  /**
   * Labels and annotates the newest record Secret of {@code resource}'s release as its own, with a
   * merge patch that leaves Helm's labels as they are. Does nothing when there is no record.
   *
   * @return the name of the Secret marked, if any
   */
  public Optional<String> mark(OrderedRelease resource) {
    Optional<Secret> newest = ReleaseSecrets.latest(resource.releaseName(), secrets(resource));
    newest.ifPresent(
        secret ->
            client
                .secrets()
                .inNamespace(resource.targetNamespace())
                .withName(secret.getMetadata().getName())
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(
                        Map.of(
                            "metadata",
                            Map.of(
                                "labels",
                                ReleaseOwnership.labels(resource),
                                "annotations",
                                ReleaseOwnership.annotations(resource))))));
    return newest.map(secret -> secret.getMetadata().getName());
  }

  private List<Secret> secrets(OrderedRelease resource) {
    return client
        .secrets()
        .inNamespace(resource.targetNamespace())
        .withLabels(Map.of("owner", "helm", "name", resource.releaseName()))
        .list()
        .getItems();
  }
}
