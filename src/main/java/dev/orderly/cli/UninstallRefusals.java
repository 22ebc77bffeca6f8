package dev.orderly.cli;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.kube.ReleaseClaims;
import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why {@code orderly uninstall} must not start, each with a message saying what to do instead: the
 * release is an OrderedRelease's, or the progress kept on the cluster is of an earlier
 * installation. Reads only.
 */
final class UninstallRefusals {
  private final KubernetesClient client;
  private final UninstallArgs args;
  private final String ledgerName;

  UninstallRefusals(KubernetesClient client, UninstallArgs args, String ledgerName) {
    this.client = client;
    this.args = args;
    this.ledgerName = ledgerName;
  }

  /** The reason of a refusal to resume from a ledger of an earlier installation. */
  static final String STALE_LEDGER = "StaleUninstallProgress";

  /**
   * Why {@code ledger} must not be resumed: it records the teardown of another Helm record than the
   * release's latest one (the release was uninstalled and installed again, or upgraded, since the
   * run that wrote it), so its plan and finished hooks are not this release's. The Release phase
   * deletes Helm's revisions oldest first, so while any is left the latest is the one the teardown
   * was planned from. A ledger without the id label, or no record left, cannot be told apart and is
   * resumed.
   */
  Optional<String> staleLedger(Secret ledger, List<Secret> records) {
    Map<String, String> labels = ledger.getMetadata().getLabels();
    String recorded = labels == null ? null : labels.get(TeardownLedger.TEARDOWN_OF);
    Optional<Secret> latest = ReleaseSecrets.latest(args.release(), records);
    if (recorded == null
        || latest.isEmpty()
        || recorded.equals(UninstallRun.ID_PREFIX + latest.get().getMetadata().getUid())) {
      return Optional.empty();
    }
    return Optional.of(
        "Secret "
            + args.namespace()
            + "/"
            + ledgerName
            + " holds the progress of an earlier uninstall of release "
            + args.release()
            + " ("
            + recorded
            + "), but Helm's latest record, "
            + ReleaseSecrets.describe(latest.get()).replace("Helm release Secret ", "Secret ")
            + ", is newer: the release was installed again or upgraded since. Nothing was"
            + " touched. To uninstall the release as it is now, delete the old progress (kubectl"
            + " delete secret "
            + ledgerName
            + " -n "
            + args.namespace()
            + ") and run this command again");
  }

  /**
   * Why the release must be left to its OrderedRelease, when one that still exists manages it:
   * orderly.dev/owner-uid on Helm's record (see {@link ReleaseOwnership}), or, for a record without
   * that marker, an OrderedRelease whose status.release names this namespace and release. When
   * OrderedReleases cannot be listed (403, or 404: no CRD) only the marker counts.
   */
  Optional<String> managedByOrderedRelease(OrderedRelease release, List<Secret> records) {
    ReleaseOwnership.Claim claim = ReleaseOwnership.claim(release, records);
    if (claim instanceof ReleaseOwnership.OtherOwner owner
        && !new ReleaseClaims(client).ownerGone(owner)) {
      return Optional.of(managedBy(owner.describe(), owner.owner()));
    }
    return namingOrderedRelease()
        .map(
            named ->
                managedBy(
                    "OrderedRelease " + named + " (its status.release names this release)", named));
  }

  /** The namespace/name of an OrderedRelease whose status.release is this release, if any. */
  private Optional<String> namingOrderedRelease() {
    List<OrderedRelease> all;
    try {
      all = client.resources(OrderedRelease.class).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
          || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    return all.stream()
        .filter(
            resource -> {
              ReleaseStatus named =
                  resource.getStatus() == null ? null : resource.getStatus().getRelease();
              if (named == null || !args.release().equals(named.getName())) {
                return false;
              }
              String namespace =
                  named.getNamespace() == null ? resource.targetNamespace() : named.getNamespace();
              return args.namespace().equals(namespace);
            })
        .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .findFirst();
  }

  private String managedBy(String manager, String owner) {
    return "Helm release "
        + args.namespace()
        + "/"
        + args.release()
        + " is managed by "
        + manager
        + "; nothing was touched. Delete the OrderedRelease instead ("
        + deleteCommand(owner)
        + "): its operator runs the same ordered teardown";
  }

  private static String deleteCommand(String owner) {
    String[] parts = owner == null ? new String[0] : owner.split("/", 2);
    return parts.length == 2
        ? "kubectl delete orderedrelease " + parts[1] + " -n " + parts[0]
        : "kubectl get orderedreleases -A shows it";
  }
}
