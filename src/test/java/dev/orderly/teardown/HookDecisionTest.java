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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
  void hookTimeoutWithContinueStopsTheHookBeforeTheNextOneRuns() {
    onTimeout = OnTimeout.Continue;
    hook("Job", "drain", List.of());
    hook("Job", "second", List.of());
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(0, Observed.present("job-1").createdByUs());
    now = T0.plus(Duration.ofMinutes(6));

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(steps.get(0).getState()).isEqualTo(State.TimedOut);
    assertThat(steps.get(0).getMessage()).contains("stopping it (deleting it with its pods)");
    assertThat(decision.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(decision.actions())
        .as("stopped first, with its pods; the next hook waits")
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));
    assertThat(decision.notices())
        .anySatisfy(
            n -> {
              assertThat(n.reason()).isEqualTo("HookTimedOut");
              assertThat(n.warning()).isTrue();
              assertThat(n.message()).contains("stopping it (deleting it with its pods)");
            });

    // The delete was lost (a transient error ended the look): it is sent again.
    assertThat(PhaseDecider.watches(steps.get(0), TeardownPhase.PreDeleteHooks)).isTrue();
    assertThat(decide(TeardownPhase.PreDeleteHooks).actions())
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));

    // Accepted: the Job is terminating while the garbage collector removes its pods.
    observed.put(0, Observed.present("job-1").createdByUs().terminatingNow());
    PhaseDecision next = decide(TeardownPhase.PreDeleteHooks);
    assertThat(steps.get(0).getMessage()).endsWith("stopped (deleted with its pods)");
    assertThat(next.actions()).containsExactly(new TeardownAction.CreateHook(1));
    assertThat(PhaseDecider.watches(steps.get(0), TeardownPhase.PreDeleteHooks)).isFalse();
    assertThat(PhaseDecider.watches(steps.get(0), TeardownPhase.Namespaces))
        .as("nothing left to remove at the end")
        .isFalse();
  }

  @Test
  void aTimedOutHookWhoseDeleteIsRefusedIsReportedAsLeftRunningAndRemovedAtTheEnd() {
    onTimeout = OnTimeout.Continue;
    hook("Job", "drain", List.of());
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(0, Observed.present("job-1").createdByUs());
    now = T0.plus(Duration.ofMinutes(6));
    decide(TeardownPhase.PreDeleteHooks);

    assertThat(PhaseDecider.deleteRefused(steps.get(0), "403 jobs.batch is forbidden"))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .isEqualTo(
                        "hook Job apps/drain timed out and was left running: could not be"
                            + " deleted: 403 jobs.batch is forbidden"));
    assertThat(steps.get(0).getState()).isEqualTo(State.TimedOut);
    assertThat(steps.get(0).getMessage())
        .isEqualTo(
            "did not finish within the hook timeout; left running: could not be deleted: 403"
                + " jobs.batch is forbidden");

    PhaseDecision next = decide(TeardownPhase.PreDeleteHooks);
    assertThat(next.actions()).as("not asked again in its phase").isEmpty();
    assertThat(next.outcome()).isEqualTo(Outcome.Complete);

    PhaseDecision last = decide(TeardownPhase.Namespaces);
    assertThat(last.actions())
        .as("tried once more with the release")
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));
  }

  @Test
  void aFailedHookIsKeptForInspectionAndRemovedWithTheReleaseAtTheEnd() {
    hook("Job", "drain", List.of("before-hook-creation", "hook-succeeded"));
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(
        0,
        Observed.present("job-1")
            .createdByUs()
            .withOutcome(HookOutcome.Failed, "Job BackoffLimitExceeded"));

    PhaseDecision stalled = decide(TeardownPhase.PreDeleteHooks);
    assertThat(stalled.actions()).as("kept: no hook-failed policy").isEmpty();
    assertThat(steps.get(0).getMessage())
        .isEqualTo("Job BackoffLimitExceeded; kept for inspection, removed with the release");
    assertThat(stalled.notices())
        .anySatisfy(
            n ->
                assertThat(n.message())
                    .contains(
                        "hook Job apps/drain failed: Job BackoffLimitExceeded; kept for"
                            + " inspection, removed with the release"));

    // The user lets the teardown go on without it: it stays Failed, not Skipped, and is named.
    skipHooks = true;
    PhaseDecision goesOn = decide(TeardownPhase.PreDeleteHooks);
    assertThat(goesOn.outcome()).isEqualTo(Outcome.Complete);
    assertThat(steps.get(0).getState()).isEqualTo(State.Failed);
    assertThat(goesOn.notices())
        .anySatisfy(
            n -> {
              assertThat(n.warning()).isTrue();
              assertThat(n.reason()).isEqualTo("HooksSkipped");
              assertThat(n.message())
                  .isEqualTo(
                      "pre-delete hook Job apps/drain failed; kept for inspection, removed with"
                          + " the release; going on (orderly.dev/skip-hooks)");
            });

    for (TeardownPhase phase : TeardownPhase.values()) {
      boolean watched = phase == TeardownPhase.Namespaces || phase == TeardownPhase.PreDeleteHooks;
      assertThat(PhaseDecider.watches(steps.get(0), phase)).as(phase.name()).isEqualTo(watched);
      // (in its own phase, and in the last one to remove it)
    }
    PhaseDecision end = decide(TeardownPhase.Namespaces);
    assertThat(end.actions())
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));
    assertThat(end.outcome()).isEqualTo(Outcome.Complete);

    // Once its delete is accepted (or it is gone), nothing more is sent.
    observed.put(0, Observed.present("job-1").terminatingNow());
    assertThat(decide(TeardownPhase.Namespaces).actions()).isEmpty();
    observed.put(0, Observed.present("someone-elses"));
    assertThat(decide(TeardownPhase.Namespaces).actions())
        .as("another object of that name is not ours to delete")
        .isEmpty();
  }

  @Test
  void aFailedHookWithHookFailedIsDeletedAtOnceAndAgainAtTheEndOnlyIfThatWasLost() {
    hook("Job", "drain", List.of("hook-failed"));
    decide(TeardownPhase.PreDeleteHooks);
    observed.put(
        0, Observed.present("job-1").createdByUs().withOutcome(HookOutcome.Failed, "failed"));
    assertThat(decide(TeardownPhase.PreDeleteHooks).actions())
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));
    assertThat(steps.get(0).getMessage()).isEqualTo("failed");

    observed.remove(0);
    assertThat(decide(TeardownPhase.Namespaces).actions()).as("gone as its policy said").isEmpty();
    observed.put(0, Observed.present("job-1"));
    assertThat(decide(TeardownPhase.Namespaces).actions())
        .as("its delete was lost")
        .containsExactly(new TeardownAction.Delete(0, "job-1", Propagation.Foreground));
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

  @ParameterizedTest(name = "a {0} hook, watched {1}: recheck after {2}")
  @CsvSource({"Job, true, PT15S", "Job, false, PT5S", "ConfigMap, true, PT15S", "Pod, false, PT5S"})
  void creatingAHookPollsOnlyWhenItsKindIsNotWatched(
      String kind, boolean watched, Duration recheck) {
    hook(kind, "drain", List.of());
    if (watched) {
      observed.put(0, Observed.absent().fromWatch());
    }
    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);
    assertThat(decision.actions()).containsExactly(new TeardownAction.CreateHook(0));
    assertThat(decision.recheckAfter()).isEqualTo(recheck);
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
