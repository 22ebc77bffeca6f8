package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.api.UninstallOptions.Propagation;
import dev.orderly.teardown.PhaseDecision.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The next-step decision, phase by phase: what it does, waits for, and when it stops. */
class PhaseDeciderTest extends DecisionFixture {
  // ---- object phases ----------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(
      value = TeardownPhase.class,
      names = {
        "CustomResources",
        "Admission",
        "DaemonSets",
        "Workloads",
        "ConfigAndNetwork",
        "Rbac",
        "Namespaces"
      })
  void objectPhasesDeleteEverythingThenWaitUntilGone(TeardownPhase phase) {
    object(phase, "Thing", "a");
    object(phase, "Thing", "b");
    observed.put(0, Observed.present("a-1"));
    observed.put(1, Observed.present("b-1"));

    PhaseDecision first = decide(phase);
    assertThat(first.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(first.actions())
        .containsExactly(
            new TeardownAction.Delete(0, "a-1", Propagation.Foreground),
            new TeardownAction.Delete(1, "b-1", Propagation.Foreground));

    observed.put(0, Observed.present("a-1").terminatingNow());
    observed.remove(1);
    PhaseDecision second = decide(phase);
    assertThat(second.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(second.actions()).as("nothing is deleted twice").isEmpty();
    assertThat(second.message()).contains("Thing apps/a").doesNotContain("apps/b");

    observed.remove(0);
    assertThat(decide(phase).outcome()).isEqualTo(Outcome.Complete);
  }

  @Test
  void aDaemonSetIsNotDoneWhileItsPodsRemain() {
    object(TeardownPhase.DaemonSets, "DaemonSet", "agent");
    observed.put(0, Observed.present("ds-1"));
    decide(TeardownPhase.DaemonSets);
    observed.put(0, Observed.absent().withRemainingPods(2));
    assertThat(decide(TeardownPhase.DaemonSets).outcome()).isEqualTo(Outcome.Waiting);
    observed.put(0, Observed.absent());
    assertThat(decide(TeardownPhase.DaemonSets).outcome()).isEqualTo(Outcome.Complete);
  }

  @Test
  void anObjectAlreadyGoneIsDoneWithoutADelete() {
    object(TeardownPhase.ConfigAndNetwork, "ConfigMap", "gone");
    PhaseDecision decision = decide(TeardownPhase.ConfigAndNetwork);
    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(decision.actions()).isEmpty();
    assertThat(steps.get(0).getMessage()).isEqualTo("already gone");
  }

  @Test
  void keptObjectsAreNeverTouched() {
    object(TeardownPhase.ConfigAndNetwork, "ConfigMap", "kept").setState(State.Skipped);
    observed.put(0, Observed.present("k-1"));
    PhaseDecision decision = decide(TeardownPhase.ConfigAndNetwork);
    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(decision.actions()).isEmpty();
  }

  @Test
  void aRecreatedObjectIsDeletedAgainWithAWarningThenStalls() {
    object(TeardownPhase.DaemonSets, "DaemonSet", "agent");
    observed.put(0, Observed.present("uid-0"));
    decide(TeardownPhase.DaemonSets);
    for (int round = 1; round <= PhaseDecider.MAX_RECREATIONS; round++) {
      observed.put(0, Observed.present("uid-" + round));
      PhaseDecision decision = decide(TeardownPhase.DaemonSets);
      assertThat(decision.actions())
          .containsExactly(new TeardownAction.Delete(0, "uid-" + round, Propagation.Foreground));
      assertThat(decision.notices())
          .singleElement()
          .satisfies(n -> assertThat(n.reason()).isEqualTo("ObjectRecreated"));
    }
    observed.put(0, Observed.present("uid-last"));
    PhaseDecision stop = decide(TeardownPhase.DaemonSets);
    assertThat(stop.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(stop.actions()).isEmpty();
    assertThat(stop.message()).contains("keeps coming back");
  }

  @Test
  void aDaemonSetThatComesBackDuringALaterPhaseIsDeletedAgainBeforeThePhaseEnds() {
    TeardownStep daemonSet = object(TeardownPhase.DaemonSets, "DaemonSet", "agent");
    daemonSet.setState(State.Done);
    daemonSet.setUid("old");
    object(TeardownPhase.Workloads, "Deployment", "operator");
    observed.put(0, Observed.present("new"));
    observed.put(1, Observed.present("d-1"));

    PhaseDecision decision = decide(TeardownPhase.Workloads);
    assertThat(decision.actions())
        .contains(new TeardownAction.Delete(0, "new", Propagation.Foreground))
        .contains(new TeardownAction.Delete(1, "d-1", Propagation.Foreground));
    assertThat(decision.notices())
        .anySatisfy(n -> assertThat(n.reason()).isEqualTo("ObjectRecreated"));
    observed.remove(1);
    assertThat(decide(TeardownPhase.Workloads).outcome())
        .as("the phase waits for the recreated DaemonSet too")
        .isEqualTo(Outcome.Waiting);
    observed.remove(0);
    assertThat(decide(TeardownPhase.Workloads).outcome()).isEqualTo(Outcome.Complete);
  }

  @Test
  void donePhasesAreNotRevisitedOnceRbacIsGone() {
    TeardownStep daemonSet = object(TeardownPhase.DaemonSets, "DaemonSet", "agent");
    daemonSet.setState(State.Done);
    daemonSet.setUid("old");
    assertThat(PhaseDecider.watches(daemonSet, TeardownPhase.Rbac)).isTrue();
    assertThat(PhaseDecider.watches(daemonSet, TeardownPhase.Release)).isFalse();
    TeardownStep configMap = object(TeardownPhase.ConfigAndNetwork, "ConfigMap", "c");
    configMap.setState(State.Done);
    configMap.setUid("c-1");
    assertThat(PhaseDecider.watches(configMap, TeardownPhase.Rbac)).isFalse();
  }

  @Test
  void aLookObservesItsPhaseStepsByTheirIndexAndNotAHookWithoutAManifest() {
    object(TeardownPhase.ConfigAndNetwork, "ConfigMap", "settings").setApiVersion("v1");
    object(TeardownPhase.Workloads, "Deployment", "worker").setApiVersion("apps/v1");
    object(TeardownPhase.Workloads, "Job", "unreadable-manifest");

    assertThat(PhaseDecider.observed(steps, TeardownPhase.Workloads)).containsOnlyKeys(1);
  }

  @Test
  void phaseTimeoutWithFailStallsNamingWhatIsLeft() {
    object(TeardownPhase.DaemonSets, "DaemonSet", "stuck");
    observed.put(0, Observed.present("ds-1"));
    decide(TeardownPhase.DaemonSets);
    observed.put(0, Observed.present("ds-1").terminatingNow().withRemainingPods(1));
    now = deadline;
    PhaseDecision decision = decide(TeardownPhase.DaemonSets);
    assertThat(decision.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(decision.reason()).isEqualTo("PhaseTimedOut");
    assertThat(decision.message())
        .contains("DaemonSets did not finish")
        .contains("DaemonSet apps/stuck");
  }

  @Test
  void aTimeoutMessageNamesTheFirstTenAndCountsTheRest() {
    for (int i = 0; i < 25; i++) {
      object(TeardownPhase.ConfigAndNetwork, "ConfigMap", "config-" + i);
      observed.put(i, Observed.present("cm-" + i));
    }
    decide(TeardownPhase.ConfigAndNetwork);
    now = deadline;
    PhaseDecision decision = decide(TeardownPhase.ConfigAndNetwork);
    assertThat(decision.message())
        .contains("ConfigMap apps/config-9")
        .doesNotContain("ConfigMap apps/config-10")
        .endsWith("ConfigMap apps/config-9 and 15 more");
  }

  @Test
  void phaseTimeoutWithContinueMovesOn() {
    onTimeout = OnTimeout.Continue;
    object(TeardownPhase.DaemonSets, "DaemonSet", "stuck");
    observed.put(0, Observed.present("ds-1").terminatingNow());
    now = deadline.plusSeconds(1);
    PhaseDecision decision = decide(TeardownPhase.DaemonSets);
    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(steps.get(0).getState()).isEqualTo(State.TimedOut);
  }

  @Test
  void forceStopsWaiting() {
    force = true;
    object(TeardownPhase.Workloads, "Deployment", "web");
    observed.put(0, Observed.present("d-1"));
    PhaseDecision decision = decide(TeardownPhase.Workloads);
    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(decision.actions()).as("force still sends the delete").hasSize(1);
    assertThat(decision.notices()).anySatisfy(n -> assertThat(n.reason()).isEqualTo("Forced"));
  }

  /** Whatever the kind: a phase waits on a poll only for objects that are not watched. */
  static Stream<Arguments> rechecks() {
    return Stream.of(
        Arguments.of(
            TeardownPhase.CustomResources, "Widget", List.of(true), PhaseDecider.SAFETY_NET),
        Arguments.of(TeardownPhase.CustomResources, "Widget", List.of(false), PhaseDecider.POLL),
        Arguments.of(TeardownPhase.Rbac, "ClusterRole", List.of(true), PhaseDecider.SAFETY_NET),
        Arguments.of(
            TeardownPhase.ConfigAndNetwork,
            "ConfigMap",
            List.of(true, true),
            PhaseDecider.SAFETY_NET),
        Arguments.of(
            TeardownPhase.ConfigAndNetwork, "ConfigMap", List.of(true, false), PhaseDecider.POLL),
        Arguments.of(TeardownPhase.Workloads, "Deployment", List.of(false), PhaseDecider.POLL),
        Arguments.of(
            TeardownPhase.Workloads, "Deployment", List.of(true), PhaseDecider.SAFETY_NET));
  }

  @ParameterizedTest(name = "{0} {1} watched {2}: recheck after {3}")
  @MethodSource("rechecks")
  void aPhasePollsOnlyForObjectsThatAreNotWatched(
      TeardownPhase phase, String kind, List<Boolean> watched, Duration recheck) {
    for (int i = 0; i < watched.size(); i++) {
      object(phase, kind, "o" + i);
      Observed seen = Observed.present("uid-" + i);
      observed.put(i, watched.get(i) ? seen.fromWatch() : seen);
    }
    assertThat(decide(phase).recheckAfter()).isEqualTo(recheck);
  }

  // ---- definite refusals of a delete --------------------------------------------------------

  @Test
  void aRefusedDeleteFailsTheStepAndStallsThePhaseWithTheServersMessage() {
    object(TeardownPhase.DaemonSets, "DaemonSet", "agent");
    observed.put(0, Observed.present("ds-1"));
    decide(TeardownPhase.DaemonSets);

    assertThat(PhaseDecider.deleteRefused(steps.get(0), "422 spec.foo: Invalid value"))
        .as("the phase's stall says it, once")
        .isEmpty();
    assertThat(steps.get(0).getState()).isEqualTo(State.Failed);

    PhaseDecision stalled = decide(TeardownPhase.DaemonSets);
    assertThat(stalled.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(stalled.reason()).isEqualTo("DeleteRefused");
    assertThat(stalled.message())
        .startsWith(
            "DaemonSets: DaemonSet apps/agent could not be deleted: 422 spec.foo: Invalid value."
                + " Fix what refuses it")
        .contains("annotate orderly.dev/force");
    assertThat(stalled.actions())
        .as("asked again at the stall's pace")
        .containsExactly(new TeardownAction.Delete(0, "ds-1", Propagation.Foreground));
    assertThat(steps.get(0).getState()).isEqualTo(State.InProgress);

    // Accepted this time: the phase waits for it as for any delete, then completes.
    observed.put(0, Observed.present("ds-1").terminatingNow());
    assertThat(decide(TeardownPhase.DaemonSets).outcome()).isEqualTo(Outcome.Waiting);
    observed.remove(0);
    assertThat(decide(TeardownPhase.DaemonSets).outcome()).isEqualTo(Outcome.Complete);
  }

  @Test
  void aRefusedDeleteGivesWayToForceAndToOnTimeoutContinue() {
    object(TeardownPhase.Workloads, "Deployment", "web").setState(State.Failed);
    observed.put(0, Observed.present("d-1"));
    force = true;
    assertThat(decide(TeardownPhase.Workloads).outcome()).isEqualTo(Outcome.Complete);
    assertThat(steps.get(0).getState()).isEqualTo(State.Skipped);

    steps.get(0).setState(State.Failed);
    force = false;
    onTimeout = OnTimeout.Continue;
    now = deadline;
    assertThat(decide(TeardownPhase.Workloads).outcome()).isEqualTo(Outcome.Complete);
    assertThat(steps.get(0).getState()).isEqualTo(State.TimedOut);

    steps.get(0).setState(State.Failed);
    onTimeout = OnTimeout.Fail;
    assertThat(decide(TeardownPhase.Workloads).reason())
        .as("the server's answer says more than the timeout")
        .isEqualTo("DeleteRefused");
  }

  @Test
  void aRefusedRecordRemovalStallsTheReleasePhaseAndIsAskedAgain() {
    TeardownStep record = record();
    observed.put(0, Observed.releaseRecord("r-3", "deployed"));
    decide(TeardownPhase.Release);
    PhaseDecider.deleteRefused(record, "403 the operator may not delete secrets");

    PhaseDecision stalled = decide(TeardownPhase.Release);
    assertThat(stalled.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(stalled.reason()).isEqualTo("DeleteRefused");
    assertThat(stalled.message()).contains("403 the operator may not delete secrets");
    assertThat(stalled.actions()).containsExactly(new TeardownAction.RemoveRelease(0, false));

    observed.remove(0);
    assertThat(decide(TeardownPhase.Release).outcome()).isEqualTo(Outcome.Complete);
    assertThat(record.getState()).isEqualTo(State.Done);
  }

  @Test
  void aHookDeleteRefusedTwiceSaysSoOnce() {
    TeardownStep hook = object(TeardownPhase.PreDeleteHooks, "Job", "drain");
    hook.setMessage("Job BackoffLimitExceeded; kept for inspection, removed with the release");
    hook.setState(State.Failed);
    PhaseDecider.deleteRefused(hook, "400 first");
    PhaseDecider.deleteRefused(hook, "400 second");
    assertThat(hook.getState()).isEqualTo(State.Failed);
    assertThat(hook.getMessage())
        .isEqualTo(
            "Job BackoffLimitExceeded; kept for inspection, removed with the release; could not be"
                + " deleted: 400 second");
  }

  // ---- release and done -------------------------------------------------------------------

  @Test
  void releasePhaseRemovesTheRecordThenSeesItGone() {
    object(TeardownPhase.Release, "CustomResourceDefinition", "widgets.example.com")
        .setState(State.Skipped);
    TeardownStep record = record();
    observed.put(1, Observed.releaseRecord("r-3", "deployed"));

    PhaseDecision start = decide(TeardownPhase.Release);
    assertThat(start.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(start.actions()).containsExactly(new TeardownAction.RemoveRelease(1, false));
    assertThat(record.getState()).isEqualTo(State.InProgress);

    observed.remove(1);
    assertThat(decide(TeardownPhase.Release).outcome()).isEqualTo(Outcome.Complete);
    assertThat(record.getState()).isEqualTo(State.Done);
    assertThat(steps.get(0).getState())
        .as("a kept CRD is left as planned")
        .isEqualTo(State.Skipped);
  }

  @Test
  void theReleasePhasePollsForAnUnwatchedRecordOnly() {
    record();
    observed.put(0, Observed.releaseRecord("r-3", "deployed"));
    assertThat(decide(TeardownPhase.Release).recheckAfter()).isEqualTo(PhaseDecider.POLL);

    observed.put(0, Observed.releaseRecord("r-3", "deployed").fromWatch());
    assertThat(decide(TeardownPhase.Release).recheckAfter())
        .as("the record informer's delete event ends the phase")
        .isEqualTo(PhaseDecider.SAFETY_NET);
  }

  @Test
  void withKeepHistoryTheRecordIsSettledOnceMarkedUninstalled() {
    keepHistory = true;
    TeardownStep record = record();
    observed.put(0, Observed.releaseRecord("r-3", "deployed"));

    assertThat(decide(TeardownPhase.Release).actions())
        .containsExactly(new TeardownAction.RemoveRelease(0, true));

    observed.put(0, Observed.releaseRecord("r-3", "uninstalled"));
    assertThat(decide(TeardownPhase.Release).outcome()).isEqualTo(Outcome.Complete);
    assertThat(record.getState()).isEqualTo(State.Done);
  }

  @Test
  void aRecordAlreadyGoneIsDoneWithoutARequest() {
    TeardownStep record = record();

    PhaseDecision decision = decide(TeardownPhase.Release);

    assertThat(decision.outcome()).isEqualTo(Outcome.Complete);
    assertThat(decision.actions()).isEmpty();
    assertThat(record.getMessage()).isEqualTo("already gone");
  }

  @Test
  void aRecordStillThereAfterItsRemovalIsRemovedAgain() {
    TeardownStep record = record();
    observed.put(0, Observed.releaseRecord("r-3", "deployed"));
    decide(TeardownPhase.Release);
    String started = record.getStartedAt();

    PhaseDecision stillThere = decide(TeardownPhase.Release);

    assertThat(stillThere.actions()).containsExactly(new TeardownAction.RemoveRelease(0, false));
    assertThat(record.getState()).isEqualTo(State.InProgress);
    assertThat(record.getStartedAt()).as("the first attempt's time stays").isEqualTo(started);
  }

  @Test
  void crdsToDeleteGoOnlyOnceTheRecordIsGoneAndAreWaitedFor() {
    record();
    object(TeardownPhase.Release, "CustomResourceDefinition", "widgets.example.com");
    observed.put(0, Observed.releaseRecord("r-3", "deployed"));
    observed.put(1, Observed.present("crd-1"));

    assertThat(decide(TeardownPhase.Release).actions())
        .as("the record first, nothing else")
        .containsExactly(new TeardownAction.RemoveRelease(0, false));

    observed.remove(0);
    PhaseDecision crds = decide(TeardownPhase.Release);
    assertThat(crds.outcome()).isEqualTo(Outcome.Waiting);
    assertThat(crds.actions())
        .containsExactly(new TeardownAction.Delete(1, "crd-1", Propagation.Foreground));

    observed.put(1, Observed.present("crd-1").terminatingNow());
    assertThat(decide(TeardownPhase.Release).outcome())
        .as("a CRD is gone only when every custom resource of its kind is")
        .isEqualTo(Outcome.Waiting);
    observed.remove(1);
    assertThat(decide(TeardownPhase.Release).outcome()).isEqualTo(Outcome.Complete);
  }

  @Test
  void crdDeletionSharesTheObjectPhasesTimeout() {
    record().setState(State.Done);
    object(TeardownPhase.Release, "CustomResourceDefinition", "widgets.example.com");
    observed.put(1, Observed.present("crd-1").terminatingNow());
    decide(TeardownPhase.Release);
    now = deadline;

    PhaseDecision decision = decide(TeardownPhase.Release);

    assertThat(decision.outcome()).isEqualTo(Outcome.Stalled);
    assertThat(decision.reason()).isEqualTo("PhaseTimedOut");
    assertThat(decision.message()).contains("CustomResourceDefinition apps/widgets.example.com");
  }

  @Test
  void donePhaseIsComplete() {
    assertThat(decide(TeardownPhase.Done).outcome()).isEqualTo(Outcome.Complete);
  }
}
