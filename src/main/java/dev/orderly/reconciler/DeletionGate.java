package dev.orderly.reconciler;

import dev.orderly.reconciler.HelmOperations.Running;
import java.util.Optional;

/**
 * Whether a deleted OrderedRelease may plan its teardown yet. Not while this process runs an
 * install or upgrade of it: helm-java cannot be cancelled, so Helm would go on creating objects
 * after a plan made from its pending record (or from none), and a DaemonSet created after the
 * DaemonSets phase would never be waited for. Once planned, the teardown goes on. Pure.
 */
final class DeletionGate {
  private DeletionGate() {}

  /**
   * What the teardown waits for, as a status message, or empty when it may begin.
   *
   * @param planned whether the teardown has already been planned ({@code status.teardown} is set)
   * @param upgrade whether the release was installed before, so the operation is an upgrade
   */
  static Optional<String> waitingFor(boolean planned, HelmOperations.State state, boolean upgrade) {
    if (planned || !(state instanceof Running)) {
      return Optional.empty();
    }
    return Optional.of(
        "waiting for the Helm "
            + (upgrade ? "upgrade" : "install")
            + " in progress to finish before planning the teardown");
  }
}
