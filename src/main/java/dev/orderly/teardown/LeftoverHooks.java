package dev.orderly.teardown;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import dev.orderly.teardown.PhaseDecision.Notice;
import java.util.ArrayList;
import java.util.List;

/**
 * The hook objects a teardown leaves behind on purpose or by necessity: a failed hook kept for
 * inspection (its delete policy lacks hook-failed; with it, one whose delete was lost), and a
 * timed-out one that could not be stopped. They are removed with the release, in the last phase
 * ({@link TeardownPhase#Namespaces}), so nothing the teardown created outlives it unannounced.
 * Pure.
 */
final class LeftoverHooks {
  /** The phase that removes them: the last one, after every hook has run. */
  static final TeardownPhase PHASE = TeardownPhase.Namespaces;

  private LeftoverHooks() {}

  /** Whether {@code step} is a hook whose object the teardown created and may have left. */
  static boolean kept(TeardownStep step) {
    if (!step.isHook() || step.getUid() == null) {
      return false;
    }
    if (step.getState() == State.Failed) {
      // With hook-failed it was deleted when it failed; if that delete was lost, it goes now.
      return true;
    }
    return step.getState() == State.TimedOut && !HookRun.STOPPED.equals(step.getMessage());
  }

  /**
   * Adds to {@code decision} a Foreground delete of every kept hook object still there (the same
   * incarnation, not yet terminating), with a Normal Event each. The phase does not wait for them.
   */
  static PhaseDecision removeWith(PhaseInput in, PhaseDecision decision) {
    List<TeardownAction> actions = new ArrayList<>();
    List<Notice> notices = new ArrayList<>();
    for (int index = 0; index < in.steps().size(); index++) {
      TeardownStep step = in.steps().get(index);
      if (!kept(step)) {
        continue;
      }
      Observed seen = in.observation(index);
      if (!seen.exists() || seen.terminating() || !step.getUid().equals(seen.uid())) {
        continue;
      }
      actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
      notices.add(
          new Notice(
              false,
              Reasons.TEARDOWN_IN_PROGRESS,
              "removing hook "
                  + step.describe()
                  + " ("
                  + step.getState()
                  + ", kept until now) with the release"));
    }
    if (actions.isEmpty()) {
      return decision;
    }
    actions.addAll(decision.actions());
    notices.addAll(decision.notices());
    return new PhaseDecision(
        decision.outcome(),
        actions,
        notices,
        decision.recheckAfter(),
        decision.reason(),
        decision.message());
  }
}
