package dev.orderly.teardown;

import dev.orderly.api.UninstallOptions.Propagation;

/** A change the teardown asks of the cluster or of Helm; the executor carries it out. */
public sealed interface TeardownAction {
  /** Create the hook object of step {@code step} from its manifest. */
  record CreateHook(int step) implements TeardownAction {}

  /**
   * Delete the object of step {@code step}. {@code uid} is the incarnation that was observed; it is
   * recorded so that one coming back under the same name is recognised.
   */
  record Delete(int step, String uid, Propagation propagation) implements TeardownAction {}

  /**
   * Remove Helm's record of the release, step {@code step}: delete every revision's Secret, or with
   * {@code keepHistory} mark the latest revision uninstalled as {@code helm uninstall
   * --keep-history} does. Never through {@code helm uninstall}, which would also delete the
   * release's objects, CRDs from templates/ included.
   */
  record RemoveRelease(int step, boolean keepHistory) implements TeardownAction {}
}
