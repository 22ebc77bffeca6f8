package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep.State;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.api.UninstallOptions.Propagation;
import dev.orderly.teardown.Observed.HookOutcome;
import dev.orderly.teardown.PhaseDecision.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The next-step decision of the hook phases: one hook at a time, delete policies, timeouts. */
class HookDecisionTest extends DecisionFixture {
  // ---- hooks -------------------------------------------------------------------------------

  @Test
  void hookSucceededHooksAreDeletedOnlyAfterEveryHookSucceededNewestFirst() {
    hook("ServiceAccount", "sa", List.of("hook-succeeded"));
    hook("Job", "drain", List.of("hook-succeeded"));
    decide(TeardownPhase.PreDeleteHooks);
    steps.get(0).setUid("sa-1");
    observed.put(
        0, Observed.present("sa-1").createdByUs().withOutcome(HookOutcome.Succeeded, null));
    PhaseDecision jobStarts = decide(TeardownPhase.PreDeleteHooks);
    assertThat(jobStarts.actions())
        .as("the ServiceAccount stays while the Job that runs under it starts")
        .containsExactly(new TeardownAction.CreateHook(1));

    steps.get(1).setUid("job-1");
    observed.put(
        1, Observed.present("job-1").createdByUs().withOutcome(HookOutcome.Succeeded, null));
    PhaseDecision done = decide(TeardownPhase.PreDeleteHooks);
    assertThat(done.outcome()).isEqualTo(Outcome.Complete);
    assertThat(done.actions())
        .containsExactly(
            new TeardownAction.Delete(1, "job-1", Propagation.Foreground),
            new TeardownAction.Delete(0, "sa-1", Propagation.Foreground));
  }

  @Test
  void hooksRunOneAtATimeInPlanOrder() {
    hook("ServiceAccount", "sa", List.of());
    hook("Job", "drain", List.of("hook-succeeded"));

    PhaseDecision first = decide(TeardownPhase.PreDeleteHooks);
    assertThat(first.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(first.actions()).containsExactly(new TeardownAction.CreateHook(0));
    assertThat(steps.get(1).getState()).isEqualTo(State.Pending);

    observed.put(
        0, Observed.present("sa-1").createdByUs().withOutcome(HookOutcome.Succeeded, null));
    PhaseDecision second = decide(TeardownPhase.PreDeleteHooks);
    assertThat(steps.get(0).getState()).isEqualTo(State.Done);
    assertThat(second.actions()).containsExactly(new TeardownAction.CreateHook(1));

    observed.put(1, Observed.present("job-1").createdByUs());
    assertThat(decide(TeardownPhase.PreDeleteHooks).outcome()).isEqualTo(Outcome.Waiting);

    steps.get(1).setUid("job-1");
    observed.put(
        1, Observed.present("job-1").createdByUs().withOutcome(HookOutcome.Succeeded, null));
    PhaseDecision done = decide(TeardownPhase.PreDeleteHooks);
    assertThat(done.outcome()).isEqualTo(Outcome.Complete);
    assertThat(done.actions())
        .as("hook-succeeded deletes the Job once every hook succeeded")
        .containsExactly(new TeardownAction.Delete(1, "job-1", Propagation.Foreground));
  }

  @Test
  void aFailedHookStallsAndSaysWhy() {
    hook("Job", "drain", List.of("hook-failed"));
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(
        0,
        Observed.present("job-1")
            .createdByUs()
            .withOutcome(HookOutcome.Failed, "BackoffLimitExceeded"));

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(decision.reason()).isEqualTo("HookFailed");
    assertThat(decision.message()).contains("Job apps/drain failed: BackoffLimitExceeded");
    assertThat(decision.actions())
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));

    // It stays stalled on later looks, and deletes nothing more.
    PhaseDecision again = decide(TeardownPhase.PreDeleteHooks);
    assertThat(again.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(again.actions()).isEmpty();
  }

  @Test
  void aLeftoverHookIsReplacedUnderBeforeHookCreation() {
    hook("Job", "drain", List.of());
    observed.put(0, Observed.present("old"));
    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.actions())
        .containsExactly(new TeardownAction.Delete(0, "old", Propagation.Foreground));
    assertThat(steps.get(0).getState()).isEqualTo(State.Pending);
  }

  @Test
  void aLeftoverHookWithoutBeforeHookCreationFails() {
    hook("Job", "drain", List.of("hook-succeeded"));
    observed.put(0, Observed.present("old"));
    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(decision.message()).contains("lacks before-hook-creation");
  }

  @Test
  void hookTimeoutWithFailStallsButKeepsWaiting() {
    hook("Job", "drain", List.of());
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(0, Observed.present("job-1").createdByUs());
    now = T0.plus(Duration.ofMinutes(5));

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(decision.reason()).isEqualTo("HookTimedOut");
    assertThat(decision.message()).endsWith("within spec.uninstall.hookTimeout (5m)");
    assertThat(steps.get(0).getState()).isEqualTo(State.InProgress);

    observed.put(
        0, Observed.present("job-1").createdByUs().withOutcome(HookOutcome.Succeeded, null));
    assertThat(decide(TeardownPhase.PreDeleteHooks).outcome()).isEqualTo(Outcome.Complete);
  }

  @Test
  void hookTimeoutWithContinueGoesOnWithAWarning() {
    onTimeout = OnTimeout.Continue;
    hook("Job", "drain", List.of());
    hook("Job", "second", List.of());
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(0, Observed.present("job-1").createdByUs());
    now = T0.plus(Duration.ofMinutes(6));

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(steps.get(0).getState()).isEqualTo(State.TimedOut);
    assertThat(decision.actions()).containsExactly(new TeardownAction.CreateHook(1));
    assertThat(decision.notices())
        .anySatisfy(n -> assertThat(n.reason()).isEqualTo("HookTimedOut"));
  }

  @Test
  void waitingForAHookRechecksWhenItWouldTimeOut() {
    hook("Job", "drain", List.of());
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(0, Observed.present("job-1").createdByUs());
    now = T0.plus(Duration.ofMinutes(2));
    assertThat(decide(TeardownPhase.PreDeleteHooks).recheckAfter())
        .isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void skipHooksAndForceSkipEveryHookWithAWarning() {
    hook("Job", "drain", List.of());
    skipHooks = true;
    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(decision.actions()).isEmpty();
    assertThat(steps.get(0).getState()).isEqualTo(State.Skipped);
    assertThat(decision.notices()).singleElement().satisfies(n -> assertThat(n.warning()).isTrue());
  }

  @Test
  void aHookThatVanishesBeforeFinishingFails() {
    hook("Job", "drain", List.of());
    decide(TeardownPhase.PreDeleteHooks);
    steps.get(0).setUid("job-1");
    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(decision.message()).contains("disappeared before it finished");
  }
}
