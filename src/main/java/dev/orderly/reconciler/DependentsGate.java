package dev.orderly.reconciler;

import static dev.orderly.api.ConditionTypes.READY;
import static dev.orderly.api.ConditionTypes.RECONCILING;
import static dev.orderly.api.ConditionTypes.STALLED;
import static dev.orderly.api.ConditionTypes.TEARING_DOWN;

import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.UninstallOptions;
import dev.orderly.dependencies.DependencyGraph;
import dev.orderly.dependencies.DependentsWait;
import dev.orderly.dependencies.DependentsWait.Decision;
import dev.orderly.dependencies.ReleaseNodes;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a deleted OrderedRelease before its teardown's first phase while OrderedReleases that
 * depend on it (spec.dependsOn) still exist, so a set deleted at once comes down dependents first.
 * {@link DependentsWait} decides; this records the wait in status (its start, so the timeout
 * survives a restart), the conditions and one Event per change. The dependents' removal wakes the
 * release through the OrderedRelease informer; the reschedule only serves the timeout.
 */
final class DependentsGate {
  private static final Logger LOG = LoggerFactory.getLogger(DependentsGate.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final Function<OrderedRelease, DependencyGraph> graph;
  private final EventRecorder events;
  private final Clock clock;

  /**
   * @param graph the graph with the given release's fresher copy in it
   */
  DependentsGate(
      Function<OrderedRelease, DependencyGraph> graph, EventRecorder events, Clock clock) {
    this.graph = graph;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Empty when the teardown may begin now (the wait's start is cleared); otherwise the control that
   * keeps the finalizer, with the wait saved in {@code release}'s status.
   */
  Optional<DeleteControl> hold(OrderedRelease release, StatusWrites writes) {
    OrderedReleaseStatus status = release.getStatus();
    UninstallOptions options = release.getSpec().getUninstall();
    DependencyGraph current = graph.apply(release);
    Decision decision =
        DependentsWait.decide(
            new DependentsWait.Input(
                current.beforeTeardown(ReleaseNodes.key(release)),
                status.getDependentsWaitStartedAt() == null
                    ? null
                    : Instant.parse(status.getDependentsWaitStartedAt()),
                clock.instant(),
                Durations.parse(options.getDependentsTimeout(), DEFAULT_TIMEOUT),
                options.getOnTimeout(),
                TeardownCoordinator.annotated(release, TeardownCoordinator.FORCE),
                options.isWaitForDependents()));
    if (decision.action() == DependentsWait.Action.Begin) {
      status.setDependentsWaitStartedAt(null);
      if (decision.reason() != null) {
        record(release, decision);
      }
      return Optional.empty();
    }
    boolean announced =
        StatusConditions.find(status, TEARING_DOWN)
            .filter(c -> decision.reason().equals(c.getReason()))
            .filter(c -> decision.message().equals(c.getMessage()))
            .isPresent();
    status.setDependentsWaitStartedAt(decision.startedAt().toString());
    status.setPhase("TearingDown:" + decision.reason());
    StatusConditions conditions =
        new StatusConditions(status, release.getMetadata().getGeneration(), clock)
            .setFalse(READY, decision.reason(), decision.message())
            .setTrue(TEARING_DOWN, decision.reason(), decision.message());
    if (decision.stalled()) {
      conditions.setTrue(STALLED, decision.reason(), decision.message()).remove(RECONCILING);
    } else {
      conditions.remove(STALLED).setTrue(RECONCILING, decision.reason(), decision.message());
    }
    conditions.observeGeneration();
    writes.saveIfChanged(status);
    if (!announced) {
      record(release, decision);
    }
    DeleteControl control = DeleteControl.noFinalizerRemoval();
    return Optional.of(
        decision.recheckAfter() == null
            ? control
            : control.rescheduleAfter(Math.max(decision.recheckAfter().toMillis(), 100)));
  }

  private void record(OrderedRelease release, Decision decision) {
    events.record(
        release,
        decision.warning() ? Type.Warning : Type.Normal,
        decision.reason(),
        decision.message());
    LOG.info(
        "{}/{}: {}",
        release.getMetadata().getNamespace(),
        release.getMetadata().getName(),
        decision.message());
  }
}
