package dev.orderly.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/** The framework's reconcile metrics (JOSDK's {@link Metrics} hooks) in the same registry. */
public class ReconcileMetrics implements Metrics {
  private final MetricsRegistry registry;

  public ReconcileMetrics(MetricsRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    registry.increment("orderly_events_received_total", "Events that reached the controller.");
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    registry.increment("orderly_reconciliations_started_total", "Reconciliations started.");
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    registry.increment(
        "orderly_reconciliations_total", "Reconciliations by outcome.", "outcome", "success");
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    registry.increment(
        "orderly_reconciliations_total", "Reconciliations by outcome.", "outcome", "failure");
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceId, Map<String, Object> metadata) {
    registry.increment(
        "orderly_cleanups_done_total",
        "JOSDK's cleanup-done notices: one or two per deleted OrderedRelease; count teardowns with"
            + " orderly_teardowns_finished_total.");
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    try {
      return execution.execute();
    } finally {
      registry.observe(
          "orderly_controller_execution_seconds",
          "Time spent in reconcile and cleanup calls, by kind of call.",
          (System.nanoTime() - start) / 1e9,
          "operation",
          execution.name());
    }
  }
}
