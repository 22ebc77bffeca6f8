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
import dev.orderly.helm.ReleaseOwnership.TeardownVerdict;
import dev.orderly.kube.ApiErrors;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.TeardownLedgerStore;
import dev.orderly.metrics.OrderlyMetrics;
import dev.orderly.teardown.PhaseDecider;
import dev.orderly.teardown.PhaseDecision;
import dev.orderly.teardown.PhaseDecision.Notice;
import dev.orderly.teardown.PhaseDecision.Outcome;
import dev.orderly.teardown.TeardownBlocked;
import dev.orderly.teardown.TeardownLedger;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * Annotation: plan the teardown as if Helm had no record of the release, for a record that cannot
   * be read ({@link Reasons#RELEASE_RECORD_UNREADABLE}).
   */
  public static final String IGNORE_RELEASE_RECORD = TeardownBlocked.IGNORE_RELEASE_RECORD;

  // Enough passes to run every phase once and re-observe after acting in each.
  private static final int MAX_PASSES = 2 * TeardownPhase.values().length + 2;

  // Only a fallback: the end of the Helm operation wakes the resource at once.
  private static final Duration HELM_WAIT_RECHECK = Duration.ofSeconds(30);
  // Only a fallback: a fixed record wakes the release through the record informer; other causes
  // (a ledger, a spec) wake it by their own change.
  private static final Duration BLOCKED_RECHECK = Duration.ofSeconds(30);

  private final TeardownExecutor executor;
  private final TeardownEngine engine;
  private final EventRecorder events;
  private final OrderlyMetrics metrics;
  private final Clock clock;
  private final CrashPoints crashPoints;
  // Consecutive transient API errors per OrderedRelease, for the backoff; gone after a clean look.
  private final Map<ResourceID, Integer> transientFailures = new ConcurrentHashMap<>();
  private final TeardownLedgerStore ledgers;
  // The ledger each teardown's last look ended with, so the next look need not read it again.
  private final Map<ResourceID, StatusWrites.Remembered> rememberedLedgers =
      new ConcurrentHashMap<>();
  private final DependentsGate dependents;
  private final FinishedTeardowns finished = new FinishedTeardowns();
  private final StatusPacing pacing = new StatusPacing();

  public TeardownCoordinator(
      TeardownExecutor executor,
      TeardownLedgerStore ledgers,
      EventRecorder events,
      OrderlyMetrics metrics,
      Clock clock,
      CrashPoints crashPoints,
      DependentsGate dependents) {
    this.dependents = dependents;
    this.executor = executor;
    this.engine = new TeardownEngine(executor);
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
    if (finished.isFinished(resource.getMetadata().getUid())) {
      // A stale cached copy of an object whose finalizer is already gone: nothing is left to do.
      return DeleteControl.noFinalizerRemoval();
    }
    OrderedRelease working = Serialization.clone(resource);
    if (working.getStatus() == null) {
      working.setStatus(new OrderedReleaseStatus());
    }
    OrderedReleaseStatus status = working.getStatus();
    ResourceID id = ResourceID.fromResource(resource);
    // Taken, not read: only a look that ends without error leaves the ledger for the next.
    StatusWrites writes =
        new StatusWrites(resource, context, status, ledgers, rememberedLedgers.remove(id));
    // The steps live in the ledger Secret, status holds a summary: read them back first.
    StatusWrites.Loaded loaded;
    try {
      loaded = writes.loadTeardown(status);
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isTransient(e)) {
        throw e;
      }
      // Nothing is saved: without the steps a save could only lose them.
      Duration wait = Backoff.afterTransient(transientFailures.merge(id, 1, Integer::sum));
      LOG.warn("{}: cannot read the teardown ledger, retrying in {}: {}", id, wait, causeOf(e));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.toMillis());
    } catch (IllegalArgumentException unreadable) {
      writes.freezeTeardown();
      return blocked(working, writes, TeardownBlocked.unreadableLedger(unreadable));
    }
    if (loaded == StatusWrites.Loaded.LOST) {
      try {
        replanLostLedger(working);
      } catch (TeardownBlocked blocked) {
        writes.freezeTeardown();
        return blocked(working, writes, blocked);
      }
    }
    try {
      DeleteControl control = look(resource, working, writes, id);
      transientFailures.remove(id);
      StatusWrites.Remembered ledger = writes.remember();
      if (ledger != null) {
        rememberedLedgers.put(id, ledger);
      }
      return control;
    } catch (TeardownBlocked blocked) {
      // Mid-teardown (e.g. the DaemonSets may not be searched for): held where it is.
      return blocked(working, writes, blocked);
    } catch (KubernetesClientException e) {
      if (!ApiErrors.isTransient(e)) {
        throw e;
      }
      return retryLater(working, writes, id, e);
    }
  }

  private DeleteControl look(
      OrderedRelease resource, OrderedRelease working, StatusWrites writes, ResourceID id) {
    OrderedReleaseStatus status = working.getStatus();
    boolean starting = status.getTeardown() == null;
    if (starting) {
      // First of all (--no-cross-namespace-refs): a spec naming another namespace never ran, and
      // its teardown must not read or delete anything there, as the operator or anyone else.
      List<String> elsewhere = executor.refusedNamespaces(working);
      if (!elsewhere.isEmpty()) {
        executor.forget(id);
        return leaveAloneElsewhere(working, writes, elsewhere);
      }
    }
    Optional<String> waiting =
        DeletionGate.waitingFor(!starting, executor.helmState(id), installedBefore(status));
    if (waiting.isPresent()) {
      return waitForHelm(working, writes, waiting.get());
    }
    if (starting) {
      // Ownership first: with nothing of its own to tear down (never installed, or another
      // owner's release) there is nothing the dependents could need to outlive.
      TeardownExecutor.Ownership ownership = executor.ownership(working);
      if (ownership.verdict() != TeardownVerdict.TearDown) {
        executor.forget(id);
        return leaveAlone(working, writes, ownership);
      }
      // Before anything is planned: the dependents' teardowns come first (spec.dependsOn).
      Optional<DeleteControl> held = dependents.hold(working, writes);
      if (held.isPresent()) {
        return held.get();
      }
      try {
        status.setTeardown(executor.begin(working, now()));
      } catch (TeardownBlocked blocked) {
        return blocked(working, writes, blocked);
      }
      announce(working, TeardownPhase.PreDeleteHooks, null);
    }
    TeardownStatus teardown = status.getTeardown();
    // A look at an object whose status already says Done: a late event before the informer saw
    // the object go, or a restart after the finalizer's removal failed. Nothing is left to save.
    boolean doneBefore = teardown.getPhase() == TeardownPhase.Done;
    String key = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    if (teardown.getPhase() != TeardownPhase.Done) {
      metrics.teardownActive(key, overallDeadline(working), starting);
    }
    PhaseDecision last = null;
    for (int pass = 0; pass < MAX_PASSES && teardown.getPhase() != TeardownPhase.Done; pass++) {
      TeardownPhase phase = teardown.getPhase();
      List<TeardownStep.State> statesBefore =
          teardown.getSteps().stream().map(TeardownStep::getState).toList();
      // Intent before action: the steps already say what is about to be done, so a crash
      // between acting and the next save never makes the restart do it a second time.
      TeardownEngine.Pass looked =
          engine.pass(
              working,
              settings(working),
              now(),
              () -> {
                if (writes.statusBehind(teardown.getPhase())) {
                  // Status is written with the intent: let its conditions name the phase too.
                  describe(working, null);
                }
                writes.saveIntent(status);
              },
              crashPoints);
      last = looked.decision();
      boolean acted = looked.acted();
      record(working, last);
      measureHooks(teardown, statesBefore);
      if (last.outcome() == Outcome.Complete) {
        advance(working, phase);
        continue;
      }
      // What was just created or deleted often settles at once (a ConfigMap hook is ready, an
      // object without finalizers is gone): look again before waiting. MAX_PASSES bounds it.
      // A stalled phase that acted asks again at the stall's pace, not in this look.
      if (acted && last.outcome() != Outcome.Stalled) {
        continue;
      }
      break;
    }
    if (teardown.getPhase() == TeardownPhase.Done) {
      if (!doneBefore) {
        status.setPhase("TearingDown:" + TeardownPhase.Done);
        // Persisted before the finalizer goes, so a retried removal never re-runs a phase.
        writes.saveIfChanged(status);
      }
      writes.dropLedger();
      executor.forget(id);
      pacing.forget(id);
      Duration took = Duration.between(Instant.parse(teardown.getStartedAt()), now());
      if (metrics.teardownFinished(key, took)) {
        events.record(
            working,
            Type.Normal,
            Reasons.TEARDOWN_COMPLETE,
            "every phase finished in " + Durations.format(took) + "; removing the finalizer");
        LOG.info("{}: teardown complete, removing the finalizer", id);
      }
      writes.removeFinalizer();
      finished.finished(resource.getMetadata().getUid());
      return DeleteControl.noFinalizerRemoval();
    }
    describe(working, last);
    Duration recheck = last == null ? Duration.ofSeconds(5) : last.recheckAfter();
    if (writes.statusWrites() > 0) {
      pacing.wrote(id); // with an intent, earlier in this look
    }
    Duration hold = pacing.holdFor(id, writes.progressOnly(status));
    if (hold.isZero()) {
      writes.saveIfChanged(status);
    } else {
      // Progress only, and status was written moments ago: the ledger now, status at the next
      // look, which comes when the pace allows at the latest.
      writes.saveLedgerOnly(status);
      recheck = hold.compareTo(recheck) < 0 ? hold : recheck;
    }
    if (hold.isZero() && writes.statusWrites() > 0) {
      pacing.wrote(id);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Math.max(recheck.toMillis(), 100));
  }

  /**
   * Keeps the finalizer until the install or upgrade under way ends; its end wakes the resource
   * (HelmOperations' completion event), the reschedule is only a fallback.
   */
  private DeleteControl waitForHelm(OrderedRelease resource, StatusWrites writes, String message) {
    OrderedReleaseStatus status = resource.getStatus();
    boolean announced =
        StatusConditions.find(status, TEARING_DOWN)
            .filter(c -> Reasons.WAITING_FOR_HELM_OPERATION.equals(c.getReason()))
            .isPresent();
    status.setPhase("TearingDown:" + Reasons.WAITING_FOR_HELM_OPERATION);
    new StatusConditions(status, resource.getMetadata().getGeneration(), clock)
        .setFalse(READY, Reasons.TEARDOWN_IN_PROGRESS, "the release is being torn down")
        .setTrue(TEARING_DOWN, Reasons.WAITING_FOR_HELM_OPERATION, message)
        .setTrue(RECONCILING, Reasons.WAITING_FOR_HELM_OPERATION, message)
        .remove(STALLED)
        .observeGeneration();
    writes.saveIfChanged(status);
    if (!announced) {
      events.record(resource, Type.Normal, Reasons.WAITING_FOR_HELM_OPERATION, message);
      LOG.info("{}: {}", ResourceID.fromResource(resource), message);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(HELM_WAIT_RECHECK.toMillis());
  }

  private static boolean installedBefore(OrderedReleaseStatus status) {
    return status.getRelease() != null && status.getRelease().getRevision() != null;
  }

  /**
   * Removes only the finalizer: the release is not this object's, or there is none it installed.
   * Decided before any hook or delete, so nothing of another owner's is touched.
   */
  private DeleteControl leaveAlone(
      OrderedRelease resource, StatusWrites writes, TeardownExecutor.Ownership ownership) {
    boolean foreign = ownership.verdict() == TeardownVerdict.LeaveAlone;
    events.record(
        resource,
        foreign ? Type.Warning : Type.Normal,
        foreign ? Reasons.FOREIGN_RELEASE_LEFT_ALONE : Reasons.NOTHING_TO_TEAR_DOWN,
        ownership.message());
    LOG.info(
        "{}/{}: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        ownership.message());
    writes.removeFinalizer();
    return DeleteControl.noFinalizerRemoval();
  }

  /**
   * Removes only the finalizer of an object whose spec names a namespace the operator refuses:
   * nothing was read from or deleted in that namespace, and one Warning Event says so and why.
   */
  private DeleteControl leaveAloneElsewhere(
      OrderedRelease resource, StatusWrites writes, List<String> elsewhere) {
    String message =
        "nothing was torn down: "
            + String.join("; ", elsewhere)
            + ". No hook was run and nothing was read or deleted in another namespace for this"
            + " object; whatever is installed there is left as it is; removing the finalizer";
    events.record(resource, Type.Warning, Reasons.CROSS_NAMESPACE_REFERENCE, message);
    LOG.warn(
        "{}/{}: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        message);
    writes.removeFinalizer();
    return DeleteControl.noFinalizerRemoval();
  }

  /**
   * Nothing planned, nothing deleted: Stalled with what is wrong and the annotation that lets the
   * teardown go on, announced once. No status.teardown is saved, so each look plans afresh and a
   * fixed record unblocks the teardown as the annotation does (an annotation wakes it at once).
   */
  private DeleteControl blocked(
      OrderedRelease resource, StatusWrites writes, TeardownBlocked blocked) {
    OrderedReleaseStatus status = resource.getStatus();
    boolean reported =
        StatusConditions.find(status, STALLED)
            .filter(c -> "True".equals(c.getStatus()))
            .filter(c -> blocked.getMessage().equals(c.getMessage()))
            .isPresent();
    status.setPhase("TearingDown:Blocked");
    new StatusConditions(status, resource.getMetadata().getGeneration(), clock)
        .setFalse(READY, blocked.reason(), blocked.getMessage())
        .setFalse(
            TEARING_DOWN,
            blocked.reason(),
            status.getTeardown() == null
                ? "the teardown has not started: nothing is deleted"
                : "the teardown is held in phase "
                    + status.getTeardown().getPhase()
                    + ": nothing further is deleted")
        .setTrue(STALLED, blocked.reason(), blocked.getMessage())
        .remove(RECONCILING)
        .observeGeneration();
    if (!reported) {
      events.record(resource, Type.Warning, blocked.reason(), blocked.getMessage());
      LOG.warn(
          "{}/{}: teardown blocked: {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          blocked.getMessage());
    }
    writes.saveIfChanged(status);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(BLOCKED_RECHECK.toMillis());
  }

  /**
   * Ends a look that a transient API error cut short: says so in status (not Stalled: nothing is
   * wrong that time will not fix) and looks again after a backoff that grows with each consecutive
   * failure. Whatever the look decided and did before the error is saved; each step is idempotent,
   * so the next look picks up where it stopped.
   */
  private DeleteControl retryLater(
      OrderedRelease working, StatusWrites writes, ResourceID id, KubernetesClientException e) {
    int failures = transientFailures.merge(id, 1, Integer::sum);
    Duration wait = Backoff.afterTransient(failures);
    String message = "retrying after a transient API error: " + causeOf(e);
    LOG.warn("{}: {} (attempt {}, next in {})", id, message, failures, Durations.format(wait));
    OrderedReleaseStatus status = working.getStatus();
    TeardownStatus teardown = status.getTeardown();
    StatusConditions conditions =
        new StatusConditions(status, working.getMetadata().getGeneration(), clock);
    String reason = teardown == null ? Reasons.TRANSIENT_API_ERROR : teardown.getPhase().name();
    if (teardown != null) {
      status.setPhase("TearingDown:" + teardown.getPhase());
    }
    conditions
        .setFalse(READY, Reasons.TEARDOWN_IN_PROGRESS, "the release is being torn down")
        .setTrue(TEARING_DOWN, reason, message)
        .remove(STALLED)
        .setTrue(RECONCILING, Reasons.TRANSIENT_API_ERROR, message);
    conditions.observeGeneration();
    try {
      writes.saveIfChanged(status);
    } catch (KubernetesClientException saving) {
      if (!ApiErrors.isTransient(saving)) {
        throw saving;
      }
      LOG.debug("{}: status not saved either: {}", id, saving.getMessage());
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.toMillis());
  }

  /** fabric8's message without the echo of the Status object it appends. */
  private static String causeOf(KubernetesClientException e) {
    String message = String.valueOf(e.getMessage());
    int echo = message.indexOf(" Received status:");
    return echo < 0 ? message : message.substring(0, echo);
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

  private static TeardownEngine.Settings settings(OrderedRelease resource) {
    UninstallOptions options = resource.getSpec().getUninstall();
    return new TeardownEngine.Settings(
        options,
        // An ignored record is removed, not marked uninstalled: it could not be rewritten.
        options.isKeepHistory() && !annotated(resource, IGNORE_RELEASE_RECORD),
        // Always Foreground: only it keeps the order promise (see UninstallOptions.Propagation);
        // an object stored before the CRD refused the others is torn down safely all the same.
        UninstallOptions.Propagation.Foreground,
        annotated(resource, FORCE),
        annotated(resource, SKIP_HOOKS));
  }

  private void advance(OrderedRelease resource, TeardownPhase finished) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    metrics.phaseFinished(
        finished, TeardownEngine.advance(teardown, resource.getSpec().getUninstall(), now()));
    TeardownPhase next = teardown.getPhase();
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

  static boolean annotated(OrderedRelease resource, String annotation) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(annotation));
  }

  private Instant now() {
    return clock.instant();
  }
}
