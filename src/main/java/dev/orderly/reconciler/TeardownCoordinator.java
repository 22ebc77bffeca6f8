package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmClient;
import dev.orderly.reconciler.HelmOperations.Finished;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Runs the teardown of a deleted OrderedRelease and says when the finalizer may go. Interim:
 * removes the release with Helm on the Helm pool and keeps the finalizer until Helm is done.
 */
public class TeardownCoordinator {
  private static final String UNINSTALL = "uninstall";

  private final HelmClient helm;
  private final HelmOperations operations;

  public TeardownCoordinator(HelmClient helm, HelmOperations operations) {
    this.helm = helm;
    this.operations = operations;
  }

  /** One look at the teardown: start or check work, never wait for it. */
  public DeleteControl cleanup(OrderedRelease resource, Context<OrderedRelease> context) {
    ResourceID id = ResourceID.fromResource(resource);
    HelmOperations.State state = operations.state(id);
    if (state instanceof Finished finished && UNINSTALL.equals(finished.digest())) {
      if (finished.failure().isEmpty()) {
        operations.forget(id);
        return DeleteControl.defaultDelete();
      }
      operations.forget(id);
    }
    if (!(state instanceof HelmOperations.Running)) {
      operations.forget(id);
      operations.start(
          id,
          UNINSTALL,
          1,
          () -> {
            helm.uninstallRecord(
                resource.releaseName(),
                resource.targetNamespace(),
                resource.getSpec().getUninstall().isKeepHistory());
            return null;
          });
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Backoff.FIRST.toMillis());
  }
}
