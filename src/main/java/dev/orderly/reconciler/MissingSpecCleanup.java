package dev.orderly.reconciler;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.FinalizerRemoval;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;

/** The deletion of an OrderedRelease that has no {@code spec}: nothing is torn down. */
final class MissingSpecCleanup {
  private MissingSpecCleanup() {}

  /**
   * Only an object stored before the CRD required {@code spec} can lack one. Without a spec the
   * operator never installed anything, and a release of the same name is someone else's: it tears
   * nothing down. Should status name a release it did install before the spec was removed, that
   * release is left in place too, since how to tear it down was in the spec.
   */
  static DeleteControl cleanup(
      OrderedRelease resource, EventRecorder events, FinalizerRemoval finalizer) {
    ReleaseStatus installed =
        resource.getStatus() == null ? null : resource.getStatus().getRelease();
    if (installed == null || installed.getRevision() == null) {
      events.record(
          resource,
          Type.Normal,
          Reasons.NOTHING_TO_TEAR_DOWN,
          "no spec, so Orderly installed nothing for this object and tears nothing down;"
              + " removing the finalizer");
    } else {
      events.record(
          resource,
          Type.Warning,
          Reasons.RELEASE_LEFT_IN_PLACE,
          "no spec, so Orderly cannot tell how to tear down Helm release "
              + installed.getNamespace()
              + "/"
              + installed.getName()
              + " (revision "
              + installed.getRevision()
              + "); it is left in place, remove it with helm uninstall; removing the finalizer");
    }
    // One patch without a resourceVersion, where JOSDK's removal is pinned to it (see
    // FinalizerRemoval).
    finalizer.remove(resource);
    return DeleteControl.noFinalizerRemoval();
  }
}
