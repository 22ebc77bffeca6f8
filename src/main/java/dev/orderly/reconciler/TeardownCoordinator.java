package dev.orderly.reconciler;

import static dev.orderly.api.ConditionTypes.READY;
import static dev.orderly.api.ConditionTypes.RECONCILING;
import static dev.orderly.api.ConditionTypes.RELEASED;
import static dev.orderly.api.ConditionTypes.STALLED;
import static dev.orderly.api.ConditionTypes.TEARING_DOWN;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.TeardownLedgerStore;
import dev.orderly.metrics.OrderlyMetrics;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.PhaseDecider;
import dev.orderly.teardown.PhaseDecision;
import dev.orderly.teardown.PhaseDecision.Notice;
import dev.orderly.teardown.PhaseDecision.Outcome;
import dev.orderly.teardown.PhaseInput;
import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the ordered teardown of a deleted OrderedRelease, one look at a time: observe the current
 * phase, let {@link PhaseDecider} decide, carry the actions out, persist progress in {@code
 * status.teardown}, and say when to look again. The finalizer goes only after the last phase. It
 * never waits: informers and a reschedule bring it back.
 */
public class TeardownCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(TeardownCoordinator.class);

  /** Annotation: skip every hook not yet run. */
  public static final String SKIP_HOOKS = "orderly.dev/skip-hooks";

  /** Annotation: stop waiting for anything and go straight on. */
  public static final String FORCE = "orderly.dev/force";

  // Enough passes to run every phase once and re-observe after acting in each.
  private static final int MAX_PASSES = 2 * TeardownPhase.values().length + 2;

  private final TeardownExecutor executor;
  private final EventRecorder events;
  private final OrderlyMetrics metrics;
  private final Clock clock;
  private final CrashPoints crashPoints;
  private final TeardownLedgerStore ledgers;

  public TeardownCoordinator(
      TeardownExecutor executor,
      TeardownLedgerStore ledgers,
      EventRecorder events,
      OrderlyMetrics metrics,
      Clock clock,
      CrashPoints crashPoints) {
    this.executor = executor;
    this.ledgers = ledgers;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.crashPoints = crashPoints;
  }

  /** One look at the teardown: act on what is ready, never wait for it. */
  public DeleteControl cleanup(OrderedRelease resource, Context<OrderedRelease> context) {
    LOG.debug(
        "{}: teardown look at {} (phase {})",
        resource.getMetadata().getName(),
        now(),
        resource.getStatus() == null || resource.getStatus().getTeardown() == null
            ? "none"
            : resource.getStatus().getTeardown().getPhase());
    OrderedRelease working = Serialization.clone(resource);
    if (working.getStatus() == null) {
      working.setStatus(new OrderedReleaseStatus());
    }
    OrderedReleaseStatus status = working.getStatus();
    StatusWrites writes = new StatusWrites(resource, context, status, ledgers);
    // The steps live in the ledger Secret, status holds a summary: read them back first.
    if (writes.loadTeardown(status) == StatusWrites.Loaded.LOST) {
      replanLostLedger(working);
    }
    ResourceID id = ResourceID.fromResource(resource);
    boolean starting = status.getTeardown() == null;
    if (starting) {
      status.setTeardown(executor.begin(working, now()));
      announce(working, TeardownPhase.PreDeleteHooks, null);
    }
    TeardownStatus teardown = status.getTeardown();
    String key = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    if (teardown.getPhase() != TeardownPhase.Done) {
      metrics.teardownActive(key, overallDeadline(working), starting);
    }
    PhaseDecision last = null;
    for (int pass = 0; pass < MAX_PASSES && teardown.getPhase() != TeardownPhase.Done; pass++) {
      TeardownPhase phase = teardown.getPhase();
      executor.addOperatorDaemonSets(working);
      Map<Integer, Observed> observed =
          executor.observe(teardown.getSteps(), phase, resource.getMetadata().getUid());
      List<TeardownStep.State> statesBefore =
          teardown.getSteps().stream().map(TeardownStep::getState).toList();
      last = PhaseDecider.decide(input(working, observed));
      if (!last.actions().isEmpty()) {
        // Intent before action: the steps already say what is about to be done, so a crash
        // between acting and the next save never makes the restart do it a second time.
        writes.saveIfChanged(status);
        crashPoints.reached("before-" + TeardownExecutor.nameOf(last.actions().get(0)));
      }
      boolean acted = executor.carryOut(working, last.actions(), crashPoints);
      record(working, last);
      measureHooks(teardown, statesBefore);
      if (last.outcome() == Outcome.Complete) {
        advance(working, phase);
        continue;
      }
      // What was just created or deleted often settles at once (a ConfigMap hook is ready, an
      // object without finalizers is gone): look again before waiting. MAX_PASSES bounds it.
      if (acted) {
        continue;
      }
      break;
    }
    if (teardown.getPhase() == TeardownPhase.Done) {
      status.setPhase("TearingDown:" + TeardownPhase.Done);
      // Persisted before the finalizer goes, so a retried removal never re-runs a phase.
      writes.saveIfChanged(status);
      writes.dropLedger(teardown);
      executor.forget(id);
      Duration took = Duration.between(Instant.parse(teardown.getStartedAt()), now());
      if (metrics.teardownFinished(key, took)) {
        events.record(
            working,
            Type.Normal,
            Reasons.TEARDOWN_COMPLETE,
            "every phase finished in " + Durations.format(took) + "; removing the finalizer");
        LOG.info("{}: teardown complete, removing the finalizer", id);
      }
      return DeleteControl.defaultDelete();
    }
    describe(working, last);
    writes.saveIfChanged(status);
    Duration recheck = last == null ? Duration.ofSeconds(5) : last.recheckAfter();
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Math.max(recheck.toMillis(), 100));
  }

  /**
   * Status names a ledger Secret that is gone (deleted by hand, or by the namespace controller
   * emptying a namespace being deleted), so what was done is unknown: the steps are planned again,
   * and what may have been done already is not done a second time (see {@link
   * TeardownLedger#afterLoss}).
   */
  private void replanLostLedger(OrderedRelease resource) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    if (teardown.getPhase() == TeardownPhase.Done) {
      return;
    }
    String why =
        "not run again: the teardown ledger Secret "
            + teardown.getLedger()
            + " was lost in phase "
            + teardown.getPhase()
            + ", and this may have run already";
    teardown.setSteps(
        TeardownLedger.afterLoss(
            teardown.getPhase(), executor.begin(resource, now()).getSteps(), why));
    events.record(
        resource,
        Type.Warning,
        Reasons.TEARDOWN_LEDGER_LOST,
        "the teardown ledger Secret "
            + teardown.getLedger()
            + " is gone; the steps were planned again from phase "
            + teardown.getPhase()
            + " on, and the hooks up to it are skipped rather than run a second time");
  }

  private PhaseInput input(OrderedRelease resource, Map<Integer, Observed> observed) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    UninstallOptions options = resource.getSpec().getUninstall();
    return new PhaseInput(
        teardown.getPhase(),
        teardown.getSteps(),
        observed,
        options.isKeepHistory(),
        now(),
        teardown.getDeadline() == null ? null : Instant.parse(teardown.getDeadline()),
        Durations.parse(options.getHookTimeout(), Duration.ofMinutes(5)),
        options.getOnTimeout(),
        // Always Foreground: only it keeps the order promise (see UninstallOptions.Propagation);
        // an object stored before the CRD refused the others is torn down safely all the same.
        UninstallOptions.Propagation.Foreground,
        annotated(resource, FORCE),
        annotated(resource, SKIP_HOOKS));
  }

  private void advance(OrderedRelease resource, TeardownPhase finished) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    metrics.phaseFinished(
        finished, Duration.between(Instant.parse(teardown.getPhaseStartedAt()), now()));
    TeardownPhase next = finished.next();
    teardown.setPhase(next);
    teardown.setPhaseStartedAt(now().toString());
    // The object phases share one deadline from CustomResources on. The Namespaces phase gets a
    // deadline of its own, as long: the post-delete hooks before it have their own timeouts and
    // could otherwise use up its time before it even began.
    boolean objectPhasesBegin =
        next == TeardownPhase.CustomResources && teardown.getDeadline() == null;
    if (objectPhasesBegin || next == TeardownPhase.Namespaces) {
      Duration timeout =
          Durations.parse(resource.getSpec().getUninstall().getTimeout(), Duration.ofMinutes(10));
      teardown.setDeadline(now().plus(timeout).toString());
    }
    if (next != TeardownPhase.Done) {
      announce(resource, next, finished);
    }
  }

  private void announce(OrderedRelease resource, TeardownPhase next, TeardownPhase finished) {
    String message =
        (finished == null ? "teardown started" : finished + " finished")
            + "; phase "
            + (next.ordinal() + 1)
            + " of "
            + (TeardownPhase.values().length - 1)
            + ": "
            + next;
    events.record(resource, Type.Normal, Reasons.TEARDOWN_PHASE_STARTED, message);
    LOG.info(
        "{}/{}: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        message);
  }

  /** Records the decision's Events; a stall is announced once, not on every look. */
  private void record(OrderedRelease resource, PhaseDecision decision) {
    String stalledBefore =
        StatusConditions.find(resource.getStatus(), STALLED)
            .filter(c -> "True".equals(c.getStatus()))
            .map(c -> c.getMessage())
            .orElse(null);
    // Status holds the message shortened (StatusWrites); compare it so.
    String stalledNow =
        decision.message() == null
            ? null
            : TeardownLedger.shorten(decision.message(), StatusWrites.MAX_CONDITION_MESSAGE);
    if (decision.outcome() == Outcome.Stalled && !stalledNow.equals(stalledBefore)) {
      metrics.teardownFailed(resource.getStatus().getTeardown().getPhase(), decision.reason());
    }
    for (Notice notice : decision.notices()) {
      boolean repeatOfStall =
          decision.outcome() == Outcome.Stalled
              && TeardownLedger.shorten(notice.message(), StatusWrites.MAX_CONDITION_MESSAGE)
                  .equals(stalledBefore);
      if (!repeatOfStall) {
        events.record(
            resource,
            notice.warning() ? Type.Warning : Type.Normal,
            notice.reason(),
            notice.message());
      }
    }
  }

  private void describe(OrderedRelease resource, PhaseDecision decision) {
    OrderedReleaseStatus status = resource.getStatus();
    TeardownPhase phase = status.getTeardown().getPhase();
    StatusConditions conditions =
        new StatusConditions(status, resource.getMetadata().getGeneration(), clock);
    String message =
        decision == null || decision.message() == null
            ? "tearing down: " + phase
            : decision.message();
    status.setPhase("TearingDown:" + phase);
    conditions
        .setFalse(READY, Reasons.TEARDOWN_IN_PROGRESS, "the release is being torn down")
        .setTrue(TEARING_DOWN, phase.name(), message);
    if (phase.compareTo(TeardownPhase.Release) > 0) {
      conditions.setFalse(RELEASED, Reasons.RELEASE_REMOVED, "the teardown removed Helm's record");
    }
    if (decision != null && decision.outcome() == Outcome.Stalled) {
      conditions.setTrue(STALLED, decision.reason(), decision.message()).remove(RECONCILING);
    } else {
      conditions.remove(STALLED).setTrue(RECONCILING, Reasons.TEARDOWN_IN_PROGRESS, message);
    }
    // Deletion bumps metadata.generation; the teardown's status is about that generation.
    conditions.observeGeneration();
  }

  /** Observes each hook that ended in this pass: how long it ran and how it ended. */
  private void measureHooks(TeardownStatus teardown, List<TeardownStep.State> before) {
    for (int i = 0; i < before.size(); i++) {
      TeardownStep step = teardown.getSteps().get(i);
      boolean ended =
          step.isHook()
              && before.get(i) == TeardownStep.State.InProgress
              && step.getState() != TeardownStep.State.InProgress
              && step.getStartedAt() != null;
      if (ended) {
        metrics.hookFinished(
            step.getPhase(),
            step.getState().name(),
            Duration.between(Instant.parse(step.getStartedAt()), now()));
      }
    }
  }

  /** When the whole teardown is overdue, for the stuck-finalizer gauge. */
  private static Instant overallDeadline(OrderedRelease resource) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    if (teardown.getDeadline() != null) {
      return Instant.parse(teardown.getDeadline());
    }
    UninstallOptions options = resource.getSpec().getUninstall();
    Duration hooks = Durations.parse(options.getHookTimeout(), Duration.ofMinutes(5));
    Duration objects = Durations.parse(options.getTimeout(), Duration.ofMinutes(10));
    // Before the object phases start, allow the pre-delete hooks their own timeout on top.
    return Instant.parse(teardown.getPhaseStartedAt()).plus(hooks).plus(objects);
  }

  private static boolean annotated(OrderedRelease resource, String annotation) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(annotation));
  }

  private Instant now() {
    return clock.instant();
  }
}
