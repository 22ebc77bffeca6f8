package dev.orderly.reconciler;

import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.UninstallOptions;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.PhaseDecider;
import dev.orderly.teardown.PhaseDecision;
import dev.orderly.teardown.PhaseInput;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One pass of the ordered teardown, whoever drives it: observe the current phase, let {@link
 * PhaseDecider} decide, save the intent, carry the actions out; and the move to the next phase. Two
 * drivers use it: {@link TeardownCoordinator} (the operator, one look per reconcile, progress in
 * status and the ledger) and the command line's {@code orderly uninstall} (a loop that may block
 * between looks). It keeps no state of its own; the teardown lives in {@code
 * working.getStatus().getTeardown()}.
 */
public final class TeardownEngine {

  /**
   * How the driver wants the phases run: the options and the escape hatches.
   *
   * @param keepHistory keep Helm's record, marked uninstalled
   * @param propagation the propagationPolicy of every delete
   * @param force stop waiting and go straight on
   * @param skipHooks run no more hooks
   */
  public record Settings(
      UninstallOptions options,
      boolean keepHistory,
      UninstallOptions.Propagation propagation,
      boolean force,
      boolean skipHooks) {}

  /**
   * What one pass saw, decided and did.
   *
   * @param phase the phase the pass looked at
   * @param observed what the cluster showed for that phase's steps, by step index
   * @param acted whether any action was sent
   */
  public record Pass(
      TeardownPhase phase, Map<Integer, Observed> observed, PhaseDecision decision, boolean acted) {

    /** Whether the phase is complete, so the driver should {@link #advance} to the next. */
    public boolean complete() {
      return decision.outcome() == PhaseDecision.Outcome.Complete;
    }
  }

  private final TeardownExecutor executor;

  public TeardownEngine(TeardownExecutor executor) {
    this.executor = executor;
  }

  /**
   * Observes the current phase of {@code working}'s teardown, decides, and carries the decision
   * out. When there is something to do, {@code saveIntent} runs first, so the steps already say
   * what is about to be done and a stop between acting and the next save never does it twice.
   */
  public Pass pass(
      OrderedRelease working,
      Settings settings,
      Instant now,
      Runnable saveIntent,
      CrashPoints crashPoints) {
    TeardownStatus teardown = working.getStatus().getTeardown();
    TeardownPhase phase = teardown.getPhase();
    executor.addOperatorDaemonSets(working);
    Map<Integer, Observed> observed = executor.observe(working);
    PhaseDecision decision = PhaseDecider.decide(input(teardown, observed, settings, now));
    if (!decision.actions().isEmpty()) {
      saveIntent.run();
      crashPoints.reached("before-" + TeardownExecutor.nameOf(decision.actions().get(0)));
    }
    boolean acted = executor.carryOut(working, decision.actions(), crashPoints);
    return new Pass(phase, observed, decision, acted);
  }

  /** The decider's input for the current phase of {@code teardown}. */
  static PhaseInput input(
      TeardownStatus teardown, Map<Integer, Observed> observed, Settings settings, Instant now) {
    return new PhaseInput(
        teardown.getPhase(),
        teardown.getSteps(),
        observed,
        settings.keepHistory(),
        now,
        teardown.getDeadline() == null ? null : Instant.parse(teardown.getDeadline()),
        Durations.parse(settings.options().getHookTimeout(), Duration.ofMinutes(5)),
        settings.options().getOnTimeout(),
        settings.propagation(),
        settings.force(),
        settings.skipHooks());
  }

  /**
   * Moves {@code teardown} from its finished phase to the next and starts the deadlines; returns
   * how long the finished phase took. The object phases share one deadline from CustomResources on.
   * The Namespaces phase gets a deadline of its own, as long: the post-delete hooks before it have
   * their own timeouts and could otherwise use up its time before it even began.
   */
  public static Duration advance(TeardownStatus teardown, UninstallOptions options, Instant now) {
    Duration took = Duration.between(Instant.parse(teardown.getPhaseStartedAt()), now);
    TeardownPhase next = teardown.getPhase().next();
    teardown.setPhase(next);
    teardown.setPhaseStartedAt(now.toString());
    boolean objectPhasesBegin =
        next == TeardownPhase.CustomResources && teardown.getDeadline() == null;
    if (objectPhasesBegin || next == TeardownPhase.Namespaces) {
      Duration timeout = Durations.parse(options.getTimeout(), Duration.ofMinutes(10));
      teardown.setDeadline(now.plus(timeout).toString());
    }
    return took;
  }
}
