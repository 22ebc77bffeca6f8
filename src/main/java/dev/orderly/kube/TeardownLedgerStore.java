package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownStatus;
import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric8 calls for an OrderedRelease's teardown ledger Secret (see {@link TeardownLedger}):
 * read, create, replace with a resourceVersion precondition, delete. Each is one request.
 */
public class TeardownLedgerStore {
  private final KubernetesClient client;

  public TeardownLedgerStore(KubernetesClient client) {
    this.client = client;
  }

  /** The ledger Secret of {@code release}, or empty when there is none. */
  public Optional<Secret> read(OrderedRelease release) {
    return Optional.ofNullable(
        client
            .secrets()
            .inNamespace(release.getMetadata().getNamespace())
            .withName(TeardownLedger.secretName(release.getMetadata().getName()))
            .get());
  }

  /**
   * Creates the ledger Secret of {@code release}, owned by it (the garbage collector removes it
   * once the OrderedRelease is gone) and labelled with its UID; returns its resourceVersion.
   */
  public String create(OrderedRelease release, byte[] data) {
    return client.resource(secret(release, data, null)).create().getMetadata().getResourceVersion();
  }

  /**
   * Replaces the ledger Secret, which must still be at {@code resourceVersion} (a 409 otherwise);
   * returns the new resourceVersion.
   */
  public String replace(OrderedRelease release, byte[] data, String resourceVersion) {
    return client
        .resource(secret(release, data, resourceVersion))
        .update()
        .getMetadata()
        .getResourceVersion();
  }

  /** Deletes the ledger Secret of {@code release}; an absent one is not an error. */
  public void delete(OrderedRelease release) {
    try {
      client
          .secrets()
          .inNamespace(release.getMetadata().getNamespace())
          .withName(TeardownLedger.secretName(release.getMetadata().getName()))
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Whether {@code secret} records the teardown of {@code release}, not of an earlier namesake. */
  public static boolean recordsTeardownOf(Secret secret, OrderedRelease release) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null
        && release.getMetadata().getUid() != null
        && release.getMetadata().getUid().equals(labels.get(TeardownLedger.TEARDOWN_OF));
  }

  /** The record in {@code secret}'s data; see {@link TeardownLedger#decode}. */
  public static TeardownStatus decode(Secret secret) {
    String data = secret.getData() == null ? null : secret.getData().get(TeardownLedger.DATA_KEY);
    if (data == null) {
      throw new IllegalArgumentException(
          "the teardown ledger Secret "
              + secret.getMetadata().getName()
              + " has no data."
              + TeardownLedger.DATA_KEY);
    }
    try {
      return TeardownLedger.decode(Base64.getDecoder().decode(data));
    } catch (RuntimeException e) {
      // Also what JSON parsing throws (a client exception with an I/O cause): a broken ledger is
      // a fact about its content, not an API error worth retrying.
      throw new IllegalArgumentException(
          "the teardown ledger Secret "
              + secret.getMetadata().getName()
              + " cannot be read: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The whole teardown of {@code release} as the operator sees it: read from its ledger Secret when
   * there is one, else from status (where the steps are when no ledger could be written). For tools
   * and tests that want every step; null when no teardown has begun.
   */
  public static TeardownStatus fullTeardown(KubernetesClient client, OrderedRelease release) {
    TeardownStatus inStatus =
        release.getStatus() == null ? null : release.getStatus().getTeardown();
    Optional<Secret> ledger = new TeardownLedgerStore(client).read(release);
    if (ledger.isPresent() && recordsTeardownOf(ledger.get(), release)) {
      TeardownStatus record = decode(ledger.get());
      record.setLedger(ledger.get().getMetadata().getName());
      return record;
    }
    return inStatus;
  }

  /**
   * The ledger Secret {@code name} in {@code namespace} of a teardown that no OrderedRelease drives
   * ({@code orderly uninstall}), or empty when there is none.
   */
  public Optional<Secret> read(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  /**
   * Writes the ledger Secret {@code name} of a teardown no OrderedRelease drives, labelled {@code
   * teardownOf} and owned by nothing: created when {@code resourceVersion} is null, else replaced
   * with that precondition. Returns the new resourceVersion.
   */
  public String write(
      String namespace, String name, String teardownOf, byte[] data, String resourceVersion) {
    Secret secret = secret(namespace, name, teardownOf, null, data, resourceVersion);
    Secret written =
        resourceVersion == null
            ? client.resource(secret).create()
            : client.resource(secret).update();
    return written.getMetadata().getResourceVersion();
  }

  /** Deletes the ledger Secret {@code name}; an absent one is not an error. */
  public void delete(String namespace, String name) {
    try {
      client.secrets().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  private static Secret secret(OrderedRelease release, byte[] data, String resourceVersion) {
    return secret(
        release.getMetadata().getNamespace(),
        TeardownLedger.secretName(release.getMetadata().getName()),
        release.getMetadata().getUid(),
        new OwnerReferenceBuilder()
            .withApiVersion(release.getApiVersion())
            .withKind(release.getKind())
            .withName(release.getMetadata().getName())
            .withUid(release.getMetadata().getUid())
            .build(),
        data,
        resourceVersion);
  }

  private static Secret secret(
      String namespace,
      String name,
      String teardownOf,
      OwnerReference owner,
      byte[] data,
      String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withResourceVersion(resourceVersion)
        .addToLabels(TeardownLedger.TEARDOWN_OF, teardownOf)
        .addToLabels("app.kubernetes.io/managed-by", "orderly")
        .withOwnerReferences(owner == null ? List.of() : List.of(owner))
        .endMetadata()
        .withType("orderly.dev/teardown-ledger")
        .addToData(TeardownLedger.DATA_KEY, Base64.getEncoder().encodeToString(data))
        .build();
  }
}
