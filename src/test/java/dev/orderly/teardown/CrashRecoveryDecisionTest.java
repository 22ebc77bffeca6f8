package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import dev.orderly.api.UninstallOptions.Propagation;
import dev.orderly.teardown.PhaseDecision.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the next look decides after the process stopped between saving an intent and acting on it,
 * or between acting and saving the outcome: nothing is done twice, nothing intended is lost.
 */
class CrashRecoveryDecisionTest extends DecisionFixture {
  @Test
  void aHookCreatedJustBeforeTheCrashIsAdoptedNotRunAgain() {
    TeardownStep hook = startedHook();
    observed.put(0, Observed.present("job-1").createdByUs());

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);

    assertThat(decision.actions()).isEmpty();
    assertThat(decision.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(hook.getUid()).isEqualTo("job-1");
    assertThat(hook.getState()).isEqualTo(State.InProgress);
  }

  @Test
  void aHookWhoseCreateNeverWentOutIsCreatedNow() {
    startedHook();

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);

    assertThat(decision.actions()).containsExactly(new TeardownAction.CreateHook(0));
    assertThat(decision.outcome()).isEqualTo(Outcome.Waiting);
  }

  @Test
  void someoneElsesObjectOfTheHooksNameIsReplacedAsALeftover() {
    startedHook();
    observed.put(0, Observed.present("stranger"));

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);

    assertThat(decision.actions())
        .containsExactly(new TeardownAction.Delete(0, "stranger", Propagation.Foreground));
  }

  @Test
  void anAdoptedHookThatFinishedMeanwhileCompletesThePhase() {
    startedHook();
    observed.put(
        0,
        Observed.present("job-1").createdByUs().withOutcome(Observed.HookOutcome.Succeeded, null));

    PhaseDecision decision = decide(TeardownPhase.PreDeleteHooks);

    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(decision.actions()).doesNotContain(new TeardownAction.CreateHook(0));
  }

  @Test
  void aDeleteDecidedButNeverSentIsSent() {
    TeardownStep deployment = object(TeardownPhase.Workloads, "Deployment", "web");
    deployment.setState(State.InProgress);
    deployment.setUid("d-1");
    observed.put(0, Observed.present("d-1"));

    assertThat(decide(TeardownPhase.Workloads).actions())
        .containsExactly(new TeardownAction.Delete(0, "d-1", Propagation.Foreground));
  }

  @Test
  void aDeleteThatWentOutIsNotSentAgain() {
    TeardownStep deployment = object(TeardownPhase.Workloads, "Deployment", "web");
    deployment.setState(State.InProgress);
    deployment.setUid("d-1");
    observed.put(0, Observed.present("d-1").terminatingNow());

    PhaseDecision decision = decide(TeardownPhase.Workloads);

    assertThat(decision.actions()).isEmpty();
    assertThat(decision.outcome()).isEqualTo(Outcome.Waiting);
  }

  @Test
  void aRecordRemovalDecidedButNeverSentIsSent() {
    TeardownStep record = object(TeardownPhase.Release, PlannedStep.RELEASE_KIND, "web");
    record.setApiVersion(PlannedStep.RELEASE_API_VERSION);
    record.setState(State.InProgress);
    observed.put(0, Observed.releaseRecord("r-1", "deployed"));

    assertThat(decide(TeardownPhase.Release).actions())
        .containsExactly(new TeardownAction.RemoveRelease(0, false));
  }

  @Test
  void aRecordRemovalThatWentOutIsDoneWithoutAnotherRequest() {
    TeardownStep record = object(TeardownPhase.Release, PlannedStep.RELEASE_KIND, "web");
    record.setApiVersion(PlannedStep.RELEASE_API_VERSION);
    record.setState(State.InProgress);

    PhaseDecision decision = decide(TeardownPhase.Release);

    assertThat(decision.actions()).isEmpty();
    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(record.getState()).isEqualTo(State.Done);
  }

  /** A pre-delete Job hook whose creation was decided and saved, with no UID recorded yet. */
  private TeardownStep startedHook() {
    TeardownStep hook = object(TeardownPhase.PreDeleteHooks, "Job", "drain");
    hook.setApiVersion("batch/v1");
    hook.setDeletePolicies(List.of("before-hook-creation"));
    hook.setState(State.InProgress);
    hook.setStartedAt(T0.toString());
    return hook;
  }
}
