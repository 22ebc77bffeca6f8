package dev.orderly.teardown;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.teardown.Observed.HookOutcome;
import dev.orderly.teardown.PhaseDecision.Notice;
import dev.orderly.teardown.PhaseDecision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides a hook phase as Helm runs hooks: one at a time in plan order, each created, waited for
 * (Jobs until Complete or Failed, Pods until Succeeded or Failed, other kinds at once) and cleaned
 * up by its delete policies. A failed hook stops the teardown; its object is kept for inspection
 * (unless hook-failed says otherwise) and removed with the release by {@link LeftoverHooks}. A hook
 * that times out under onTimeout Continue is stopped (deleted with its pods) before anything else
 * runs.
 */
final class HookRun {
  private static final String BEFORE_CREATION = "before-hook-creation";
  private static final String ON_SUCCESS = "hook-succeeded";
  private static final String ON_FAILURE = "hook-failed";

  static final String STOPPING =
      "did not finish within the hook timeout; stopping it (deleting it with its pods)";
  static final String STOPPED =
      "did not finish within the hook timeout; stopped (deleted with its pods)";
  static final String LEFT_RUNNING = "did not finish within the hook timeout; left running: ";
  static final String KEPT = "kept for inspection, removed with the release";

  private final PhaseInput in;
  private final List<TeardownAction> actions = new ArrayList<>();
  private final List<Notice> notices = new ArrayList<>();
  private final String event;

  HookRun(PhaseInput in) {
    this.in = in;
    this.event = in.phase() == TeardownPhase.PreDeleteHooks ? "pre-delete" : "post-delete";
  }

  PhaseDecision decide() {
    List<Integer> indexes = PhaseDecider.stepsOf(in);
    if (in.skipHooks() || in.force()) {
      return skipAll(indexes);
    }
    PhaseDecision stopping = stopTimedOut(indexes);
    if (stopping != null) {
      return stopping;
    }
    for (int index : indexes) {
      TeardownStep step = in.steps().get(index);
      if (step.isFinished()) {
        continue;
      }
      PhaseDecision waitOrStop =
          switch (step.getState()) {
            case Failed -> failed(step);
            case Pending -> start(index, step);
            default -> follow(index, step);
          };
      if (waitOrStop != null) {
        return waitOrStop;
      }
    }
    deleteSucceededHooks(indexes);
    return PhaseDecider.complete(actions, notices);
  }

  /** Whether {@code step} timed out and its delete was decided but not yet seen accepted. */
  static boolean stopping(TeardownStep step) {
    return step.getState() == State.TimedOut && STOPPING.equals(step.getMessage());
  }

  /**
   * Waits while a timed-out hook is being stopped: its delete is (re)sent until the object is
   * terminating or gone, so nothing after it runs alongside it.
   */
  private PhaseDecision stopTimedOut(List<Integer> indexes) {
    for (int index : indexes) {
      TeardownStep step = in.steps().get(index);
      if (!stopping(step)) {
        continue;
      }
      Observed seen = in.observation(index);
      boolean sameObject = step.getUid() == null || step.getUid().equals(seen.uid());
      if (!seen.exists() || seen.terminating() || !sameObject) {
        step.setMessage(STOPPED);
        continue;
      }
      actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
      return waiting(
          PhaseDecider.recheck(seen), "stopping timed-out " + event + " hook " + step.describe());
    }
    return null;
  }

  /**
   * As Helm does, hook-succeeded hooks are removed only once every hook of the event succeeded,
   * newest first: a ServiceAccount hook must outlive the Job hook that runs under it.
   */
  private void deleteSucceededHooks(List<Integer> indexes) {
    for (int i = indexes.size() - 1; i >= 0; i--) {
      TeardownStep step = in.steps().get(indexes.get(i));
      if (step.getState() == State.Done && policies(step).contains(ON_SUCCESS)) {
        actions.add(new TeardownAction.Delete(indexes.get(i), step.getUid(), in.propagation()));
      }
    }
  }

  private PhaseDecision skipAll(List<Integer> indexes) {
    String why =
        in.force() ? "skipped: orderly.dev/force is set" : "skipped: orderly.dev/skip-hooks is set";
    List<String> skipped = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (int index : indexes) {
      TeardownStep step = in.steps().get(index);
      if (step.getState() == State.Failed) {
        // It ran and failed: not skipped. Its object stays for inspection until the end.
        if (LeftoverHooks.kept(step) && String.valueOf(step.getMessage()).contains(KEPT)) {
          kept.add(step.describe());
        }
      } else if (!step.isFinished()) {
        PhaseDecider.skip(step, why);
        skipped.add(step.describe());
      }
    }
    if (!skipped.isEmpty()) {
      notices.add(
          new Notice(
              true,
              Reasons.HOOKS_SKIPPED,
              event + " hooks " + why + ": " + String.join(", ", skipped)));
    }
    String annotation = in.force() ? "orderly.dev/force" : "orderly.dev/skip-hooks";
    for (String hook : kept) {
      notices.add(
          new Notice(
              true,
              Reasons.HOOKS_SKIPPED,
              event + " hook " + hook + " failed; " + KEPT + "; going on (" + annotation + ")"));
    }
    return PhaseDecider.complete(actions, notices);
  }

  private PhaseDecision start(int index, TeardownStep step) {
    Observed seen = in.observation(index);
    if (seen.exists()) {
      return replaceLeftover(index, step, seen);
    }
    actions.add(new TeardownAction.CreateHook(index));
    step.setState(State.InProgress);
    step.setStartedAt(in.now().toString());
    notices.add(
        new Notice(
            false, Reasons.TEARDOWN_IN_PROGRESS, "running " + event + " hook " + step.describe()));
    // A watched hook wakes the release when it finishes; any other kind is ready once it exists,
    // which the next look (right after this one) sees.
    return waiting(PhaseDecider.recheck(seen), "running " + event + " hook " + step.describe());
  }

  /**
   * A leftover from an earlier run: Helm's before-hook-creation replaces it; without that policy
   * Helm would fail to create the hook, and so do we, rather than adopt a stale one.
   */
  private PhaseDecision replaceLeftover(int index, TeardownStep step, Observed seen) {
    if (!policies(step).contains(BEFORE_CREATION)) {
      step.setState(State.Failed);
      step.setMessage("already exists and its hook-delete-policy lacks before-hook-creation");
      return failed(step);
    }
    if (!seen.terminating()) {
      actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
    }
    return waiting(PhaseDecider.recheck(seen), "replacing the previous " + step.describe());
  }

  private PhaseDecision follow(int index, TeardownStep step) {
    Observed seen = in.observation(index);
    if (step.getUid() == null) {
      PhaseDecision unsettled = settleCreation(index, step, seen);
      if (unsettled != null) {
        return unsettled;
      }
    }
    if (!seen.exists()) {
      step.setState(State.Failed);
      step.setMessage("the hook object disappeared before it finished");
      return failed(step);
    }
    if (seen.hookOutcome() == HookOutcome.Succeeded) {
      step.setState(State.Done);
      step.setMessage(null);
      return null;
    }
    if (seen.hookOutcome() == HookOutcome.Failed) {
      step.setState(State.Failed);
      step.setUid(seen.uid());
      String detail = seen.detail() == null ? "the hook failed" : seen.detail();
      if (policies(step).contains(ON_FAILURE)) {
        step.setMessage(detail);
        actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
      } else {
        step.setMessage(detail + "; " + KEPT);
      }
      return failed(step);
    }
    Instant deadline = Instant.parse(step.getStartedAt()).plus(in.hookTimeout());
    if (in.now().isBefore(deadline)) {
      return waiting(
          Duration.between(in.now(), deadline),
          "waiting for " + event + " hook " + step.describe());
    }
    String message =
        event
            + " hook "
            + step.describe()
            + " did not finish within spec.uninstall.hookTimeout ("
            + Durations.format(in.hookTimeout())
            + ")";
    if (in.onTimeout() == OnTimeout.Continue) {
      // Stopped before anything else runs, so a hung drain never races what comes after it.
      PhaseDecider.timedOut(step, STOPPING);
      step.setUid(seen.uid());
      actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
      notices.add(
          new Notice(
              true,
              Reasons.HOOK_TIMED_OUT,
              message
                  + "; stopping it (deleting it with its pods) and continuing (onTimeout:"
                  + " Continue)"));
      return waiting(
          PhaseDecider.recheck(seen), "stopping timed-out " + event + " hook " + step.describe());
    }
    step.setMessage("did not finish within the hook timeout; still waiting");
    return PhaseDecider.stalled(actions, notices, Reasons.HOOK_TIMED_OUT, message);
  }

  /**
   * A hook whose creation was decided (and saved) but whose object's UID never was: the process
   * stopped between the two, or the create failed for a reason worth retrying. An object with this
   * teardown's label is the one it created: adopted, never run again. No object: created now.
   * Anyone else's object of that name is replaced as a leftover would be.
   */
  private PhaseDecision settleCreation(int index, TeardownStep step, Observed seen) {
    if (seen.exists() && seen.ours()) {
      step.setUid(seen.uid());
      return null;
    }
    if (seen.exists()) {
      return replaceLeftover(index, step, seen);
    }
    actions.add(new TeardownAction.CreateHook(index));
    return waiting(PhaseDecider.recheck(seen), "creating " + event + " hook " + step.describe());
  }

  private PhaseDecision failed(TeardownStep step) {
    String message =
        event
            + " hook "
            + step.describe()
            + " failed: "
            + step.getMessage()
            + "; nothing more is deleted until it is fixed (annotate orderly.dev/skip-hooks or"
            + " orderly.dev/force to go on without it)";
    return PhaseDecider.stalled(actions, notices, Reasons.HOOK_FAILED, message);
  }

  private PhaseDecision waiting(Duration recheck, String message) {
    return new PhaseDecision(
        Outcome.Waiting,
        actions,
        notices,
        recheck,
        Reasons.TEARDOWN_IN_PROGRESS,
        in.phase() + ": " + message);
  }

  private static List<String> policies(TeardownStep step) {
    return step.getDeletePolicies() == null || step.getDeletePolicies().isEmpty()
        ? List.of(BEFORE_CREATION)
        : step.getDeletePolicies();
  }
}
