package dev.orderly.metrics;

import dev.orderly.api.TeardownPhase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The operator's own metrics: teardowns, phases, hooks and Helm operations. */
public class OrderlyMetrics {
  private final MetricsRegistry registry;
  // Teardowns under way, by "namespace/name", with the moment each passes its timeout.
  private final Map<String, java.time.Instant> inProgress = new ConcurrentHashMap<>();

  public OrderlyMetrics(MetricsRegistry registry, Supplier<java.time.Instant> now) {
    this.registry = registry;
    registry.gauge(
        "orderly_teardowns_in_progress",
        "OrderedReleases being torn down now.",
        () -> inProgress.size());
    registry.gauge(
        "orderly_teardowns_past_timeout",
        "Teardowns still holding their finalizer after spec.uninstall.timeout (stuck finalizers).",
        () -> inProgress.values().stream().filter(deadline -> now.get().isAfter(deadline)).count());
  }

  public MetricsRegistry registry() {
    return registry;
  }

  /** A teardown began, or is being followed again after a restart. */
  public void teardownActive(String release, java.time.Instant deadline, boolean started) {
    if (inProgress.put(release, deadline) == null && started) {
      registry.increment("orderly_teardowns_started_total", "Teardowns started.");
    }
  }

  /** A phase finished after {@code took}. */
  public void phaseFinished(TeardownPhase phase, Duration took) {
    registry.observe(
        "orderly_teardown_phase_duration_seconds",
        "How long each teardown phase took.",
        seconds(took),
        "phase",
        phase.name());
  }

  /** A hook ended as {@code outcome} (Done, Failed, TimedOut, Skipped) after {@code took}. */
  public void hookFinished(TeardownPhase phase, String outcome, Duration took) {
    registry.observe(
        "orderly_hook_duration_seconds",
        "How long each pre- or post-delete hook ran.",
        seconds(took),
        "phase",
        phase.name(),
        "outcome",
        outcome);
  }

  /** A teardown stalled in {@code phase} for {@code reason}. */
  public void teardownFailed(TeardownPhase phase, String reason) {
    registry.increment(
        "orderly_teardowns_failed_total",
        "Teardowns that stalled (hook failed, phase timed out), by phase and reason.",
        "phase",
        phase.name(),
        "reason",
        reason);
  }

  /**
   * A teardown finished and the finalizer is being removed; counted once even when the removal is
   * retried. Returns whether this call counted it.
   */
  public boolean teardownFinished(String release, Duration took) {
    if (inProgress.remove(release) == null) {
      return false;
    }
    registry.increment("orderly_teardowns_finished_total", "Teardowns that finished.");
    registry.observe(
        "orderly_teardown_duration_seconds",
        "From the start of a teardown to the finalizer's removal.",
        seconds(took));
    return true;
  }

  /** An install or upgrade ended. */
  public void helmOperation(String operation, boolean succeeded) {
    registry.increment(
        "orderly_helm_operations_total",
        "Helm installs and upgrades, by outcome.",
        "operation",
        operation,
        "outcome",
        succeeded ? "success" : "failure");
  }

  /** Release names currently tracked as in progress, for tests. */
  public Set<String> inProgress() {
    return Set.copyOf(inProgress.keySet());
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
