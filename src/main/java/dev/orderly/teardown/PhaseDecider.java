package dev.orderly.teardown;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.teardown.PhaseDecision.Notice;
import dev.orderly.teardown.PhaseDecision.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The teardown's next-step function: from one phase's persisted steps, what was just observed, the
 * time and the options, it decides the actions and whether the phase is complete. Pure: no I/O, no
 * clock of its own; the only state it touches is the step list it is given.
 */
public final class PhaseDecider {
  /** How often an object that came back is deleted again before the teardown stalls. */
  public static final int MAX_RECREATIONS = 3;

  /** How soon to look again at an object read from the API server, whose change wakes nobody. */
  static final Duration POLL = Duration.ofSeconds(5);

  /**
   * How soon to look again when every object waited for is watched: only a safety net, since every
   * change of those objects wakes the teardown.
   */
  public static final Duration SAFETY_NET = Duration.ofSeconds(15);

  static final Duration STALLED_RECHECK = Duration.ofSeconds(30);

  // Helm's status of a release it uninstalled and kept (release.StatusUninstalled).
  private static final String UNINSTALLED = "uninstalled";

  private PhaseDecider() {}

  /** Decides the current phase. Done and empty phases are complete at once. */
  public static PhaseDecision decide(PhaseInput in) {
    return switch (in.phase()) {
      case PreDeleteHooks, PostDeleteHooks -> new HookRun(in).decide();
      case Release -> release(in);
      case Done -> complete(List.of(), List.of());
      case Namespaces -> LeftoverHooks.removeWith(in, objects(in));
      default -> objects(in);
    };
  }

  /**
   * The steps a look in phase {@code current} observes ({@link #watches}), by index; a step without
   * an apiVersion (a hook whose manifest could not be read) has no object to look at.
   */
  public static Map<Integer, TeardownStep> observed(
      List<TeardownStep> steps, TeardownPhase current) {
    Map<Integer, TeardownStep> looked = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      TeardownStep step = steps.get(i);
      if (watches(step, current) && step.getApiVersion() != null) {
        looked.put(i, step);
      }
    }
    return looked;
  }

  /**
   * Whether a look in phase {@code current} must observe {@code step}: every step of the phase that
   * is not settled by policy, including done ones (an object may come back), and the DaemonSets
   * deleted earlier until RBAC is gone, because the chart's operator, a workload, can recreate them
   * until the Workloads phase stops it. Hooks: those of the phase still running or being stopped,
   * and in the last phase the ones left behind, to remove them with the release.
   */
  public static boolean watches(TeardownStep step, TeardownPhase current) {
    boolean settled = step.getState() == State.Skipped || step.getState() == State.TimedOut;
    if (step.isHook()) {
      if (current == LeftoverHooks.PHASE && LeftoverHooks.kept(step)) {
        return true;
      }
      return step.getPhase() == current && (!settled || HookRun.stopping(step));
    }
    if (settled) {
      return false;
    }
    if (step.getPhase() == current) {
      return step.getState() != State.Done || step.getUid() != null;
    }
    boolean daemonSetStillAtRisk =
        step.getPhase() == TeardownPhase.DaemonSets
            && current.compareTo(TeardownPhase.DaemonSets) > 0
            && current.compareTo(TeardownPhase.Rbac) <= 0;
    boolean deletedOrComingBack =
        step.getState() == State.InProgress
            || (step.getState() == State.Done && step.getUid() != null);
    return daemonSetStillAtRisk && deletedOrComingBack;
  }

  /** Indexes of the steps that belong to {@code phase}, in plan order. */
  static List<Integer> stepsOf(PhaseInput in) {
    return IntStream.range(0, in.steps().size())
        .filter(i -> in.steps().get(i).getPhase() == in.phase())
        .boxed()
        .toList();
  }

  private static PhaseDecision objects(PhaseInput in) {
    List<TeardownAction> actions = new ArrayList<>();
    List<Notice> notices = new ArrayList<>();
    List<TeardownStep> waiting = new ArrayList<>();
    List<TeardownStep> refused = new ArrayList<>();
    boolean allWatched = true;
    for (int index = 0; index < in.steps().size(); index++) {
      TeardownStep step = in.steps().get(index);
      if (step.isHook() || !watches(step, in.phase())) {
        continue;
      }
      Observed seen = in.observation(index);
      if (step.getState() == State.Done && cameBack(step, seen)) {
        step.setState(State.InProgress);
      } else if (step.isFinished()) {
        continue;
      }
      if (seen.gone()) {
        step.setMessage(step.getState() == State.Pending ? "already gone" : null);
        step.setState(State.Done);
        continue;
      }
      if (step.getState() == State.Failed) {
        // The server definitely refused the delete. Asked again at the stall's pace: whatever
        // refused it (RBAC, an admission policy) may have been fixed since.
        refused.add(step.copy());
        step.setState(State.InProgress);
        if (seen.exists() && !seen.terminating()) {
          actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
        }
      } else if (step.getState() == State.Pending) {
        step.setState(State.InProgress);
        step.setStartedAt(in.now().toString());
        step.setUid(seen.uid());
        if (seen.exists() && !seen.terminating()) {
          actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
        }
      } else if (deleteNeverSent(step, seen)) {
        // Deciding to delete was saved, but the process stopped before the delete went out.
        actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
      } else if (cameBack(step, seen)) {
        int count = step.getRecreations() == null ? 1 : step.getRecreations() + 1;
        step.setRecreations(count);
        if (count > MAX_RECREATIONS) {
          String message =
              step.describe()
                  + " keeps coming back after deletion ("
                  + count
                  + " times); whatever creates it is still running";
          step.setMessage(message);
          return stalled(actions, notices, Reasons.OBJECT_RECREATED, message);
        }
        notices.add(
            new Notice(
                true,
                Reasons.OBJECT_RECREATED,
                step.describe()
                    + " came back with a new UID "
                    + seen.uid()
                    + " after it was deleted; deleting it again ("
                    + count
                    + " of at most "
                    + MAX_RECREATIONS
                    + ")"));
        step.setUid(seen.uid());
        actions.add(new TeardownAction.Delete(index, seen.uid(), in.propagation()));
      }
      waiting.add(step);
      allWatched &= seen.watched();
    }
    if (waiting.isEmpty()) {
      return complete(actions, notices);
    }
    String stillPresent = presentList(waiting);
    if (in.force()) {
      waiting.forEach(step -> skip(step, "not waited for: orderly.dev/force is set"));
      notices.add(
          new Notice(
              true,
              Reasons.FORCED,
              in.phase() + " not waited for (orderly.dev/force): " + stillPresent));
      return complete(actions, notices);
    }
    if (in.objectDeadline() != null && !in.now().isBefore(in.objectDeadline())) {
      String message =
          in.phase()
              + " did not finish within spec.uninstall.timeout; still present: "
              + stillPresent;
      if (in.onTimeout() == OnTimeout.Continue) {
        waiting.forEach(step -> timedOut(step, "still present when the teardown timed out"));
        notices.add(
            new Notice(
                true, Reasons.PHASE_TIMED_OUT, message + "; continuing (onTimeout: Continue)"));
        return complete(actions, notices);
      }
      if (refused.isEmpty()) {
        return stalled(actions, notices, Reasons.PHASE_TIMED_OUT, message);
      }
    }
    if (!refused.isEmpty()) {
      return stalled(actions, notices, refusalReason(refused), refusal(in.phase(), refused));
    }
    Duration recheck = allWatched ? SAFETY_NET : POLL;
    if (in.objectDeadline() != null) {
      Duration left = Duration.between(in.now(), in.objectDeadline());
      recheck = left.compareTo(recheck) < 0 ? left : recheck;
    }
    return new PhaseDecision(
        Outcome.Waiting,
        actions,
        notices,
        recheck,
        Reasons.TEARDOWN_IN_PROGRESS,
        in.phase() + ": waiting for " + stillPresent + " to be gone");
  }

  /**
   * The Release phase: first Helm's record (removed, or marked uninstalled with keepHistory), then
   * the CRDs the spec asks to delete, as an object phase. The record is settled when no revision is
   * left, or with keepHistory when the latest revision is uninstalled.
   */
  private static PhaseDecision release(PhaseInput in) {
    int record = recordStep(in);
    if (record < 0 || in.steps().get(record).isFinished()) {
      return objects(in);
    }
    TeardownStep step = in.steps().get(record);
    Observed seen = in.observation(record);
    boolean settled =
        !seen.exists() || (in.keepHistory() && UNINSTALLED.equals(seen.releaseStatus()));
    if (settled) {
      if (step.getState() == State.Pending) {
        step.setMessage(in.keepHistory() ? "already marked uninstalled" : "already gone");
      }
      step.setState(State.Done);
      return objects(in);
    }
    // Pending; or InProgress with the record still there: the removal was decided and saved but
    // never sent (the process stopped), or something wrote the record again. Removing it again
    // is harmless: every request of the removal is idempotent.
    if (step.getState() == State.Failed) {
      TeardownStep refused = step.copy();
      step.setState(State.InProgress);
      return stalled(
          List.of(new TeardownAction.RemoveRelease(record, in.keepHistory())),
          List.of(),
          refusalReason(List.of(refused)),
          refusal(in.phase(), List.of(refused)));
    }
    if (step.getState() == State.Pending) {
      step.setState(State.InProgress);
      step.setStartedAt(in.now().toString());
    }
    return new PhaseDecision(
        Outcome.Waiting,
        List.of(new TeardownAction.RemoveRelease(record, in.keepHistory())),
        List.of(),
        recheck(seen),
        Reasons.TEARDOWN_IN_PROGRESS,
        "Release: removing Helm's release record");
  }

  /**
   * ServiceAccountForbidden when every refusal was the release's ServiceAccount's (the executor
   * words those {@code ServiceAccount <namespace>/<name> may not ...}), else DeleteRefused.
   */
  static String refusalReason(List<TeardownStep> refused) {
    boolean account =
        refused.stream()
            .allMatch(
                step ->
                    step.getMessage() != null && ACCOUNT_REFUSAL.matcher(step.getMessage()).find());
    return account ? Reasons.SERVICE_ACCOUNT_FORBIDDEN : Reasons.DELETE_REFUSED;
  }

  private static final java.util.regex.Pattern ACCOUNT_REFUSAL =
      java.util.regex.Pattern.compile("could not be deleted: ServiceAccount [^ /]+/[^ ]+ may not ");

  private static String refusal(TeardownPhase phase, List<TeardownStep> refused) {
    return phase
        + ": "
        + refused.stream()
            .map(step -> step.describe() + " " + step.getMessage())
            .collect(Collectors.joining("; "))
        + ". Fix what refuses it (the teardown asks again every "
        + STALLED_RECHECK.toSeconds()
        + "s), delete it yourself, or annotate orderly.dev/force to go on without it";
  }

  /**
   * What a definite refusal of a delete (a 4xx other than 404, 408, 409 and 429) means for {@code
   * step}, recorded on it; returns the Warning to record, if the step's phase will not say it. An
   * object or Helm's record fails, which stalls its phase; a hook that timed out is left running;
   * any other hook keeps its state and says why its object is still there.
   */
  public static java.util.Optional<String> deleteRefused(TeardownStep step, String why) {
    if (!step.isHook()) {
      step.setState(State.Failed);
      step.setMessage("could not be deleted: " + why);
      return java.util.Optional.empty();
    }
    if (step.getState() == State.TimedOut) {
      step.setMessage(HookRun.LEFT_RUNNING + "could not be deleted: " + why);
      return java.util.Optional.of(
          "hook "
              + step.describe()
              + " timed out and was left running: could not be deleted: "
              + why);
    }
    String before = step.getMessage() == null ? "" : step.getMessage();
    int earlier = before.indexOf("could not be deleted: ");
    String kept = earlier < 0 ? before : before.substring(0, earlier);
    step.setMessage(
        (kept.isEmpty() || kept.endsWith("; ") ? kept : kept + "; ")
            + "could not be deleted: "
            + why);
    return java.util.Optional.of("hook " + step.describe() + " could not be deleted: " + why);
  }

  /** The index of the Release phase's record step, or -1 when the plan has none. */
  private static int recordStep(PhaseInput in) {
    return stepsOf(in).stream()
        .filter(i -> PlannedStep.RELEASE_KIND.equals(in.steps().get(i).getKind()))
        .filter(i -> PlannedStep.RELEASE_API_VERSION.equals(in.steps().get(i).getApiVersion()))
        .findFirst()
        .orElse(-1);
  }

  private static boolean deleteNeverSent(TeardownStep step, Observed seen) {
    return step.getState() == State.InProgress
        && seen.exists()
        && !seen.terminating()
        && seen.uid() != null
        && seen.uid().equals(step.getUid());
  }

  private static boolean cameBack(TeardownStep step, Observed seen) {
    return seen.exists()
        && !seen.terminating()
        && step.getUid() != null
        && !step.getUid().equals(seen.uid());
  }

  private static String present(TeardownStep step) {
    return step.describe();
  }

  /** How many objects a message names before it says "and N more". */
  static final int NAMED_IN_MESSAGES = 10;

  /** The first few of {@code waiting}, and how many more, so a message stays short. */
  private static String presentList(List<TeardownStep> waiting) {
    String named =
        waiting.stream()
            .limit(NAMED_IN_MESSAGES)
            .map(PhaseDecider::present)
            .collect(Collectors.joining(", "));
    int more = waiting.size() - NAMED_IN_MESSAGES;
    return more > 0 ? named + " and " + more + " more" : named;
  }

  static void skip(TeardownStep step, String why) {
    step.setState(State.Skipped);
    step.setMessage(why);
  }

  static void timedOut(TeardownStep step, String why) {
    step.setState(State.TimedOut);
    step.setMessage(why);
  }

  /** How soon to look again at {@code seen}: a watched object wakes the teardown itself. */
  static Duration recheck(Observed seen) {
    return seen.watched() ? SAFETY_NET : POLL;
  }

  static PhaseDecision complete(List<TeardownAction> actions, List<Notice> notices) {
    return new PhaseDecision(Outcome.Complete, actions, notices, Duration.ZERO, null, null);
  }

  static PhaseDecision stalled(
      List<TeardownAction> actions, List<Notice> notices, String reason, String message) {
    List<Notice> all = new ArrayList<>(notices);
    all.add(new Notice(true, reason, message));
    return new PhaseDecision(Outcome.Stalled, actions, all, STALLED_RECHECK, reason, message);
  }

  static Instant parse(String instant) {
    return instant == null ? null : Instant.parse(instant);
  }
}
