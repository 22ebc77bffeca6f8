package dev.orderly.dependencies;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.dependencies.DependencyGraph.TeardownVerdict;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether a deleted OrderedRelease may begin its teardown, or waits for the OrderedReleases
 * that depend on it: from the graph's verdict, the escape hatches, and the time waited against
 * spec.uninstall.dependentsTimeout with its onTimeout. Pure.
 */
public final class DependentsWait {
  /** What the gate does with the teardown. */
  public enum Action {
    /** Begin the teardown now; {@code reason}/{@code message}, when set, are worth an Event. */
    Begin,
    /** Keep waiting; the reason says why, the condition is Stalled when {@code stalled}. */
    Wait
  }

  /**
   * The decision.
   *
   * @param startedAt when the wait began, to persist (null once the teardown may begin)
   * @param recheckAfter when to look again even if nothing changes (the timeout), or null
   * @param warning whether the Event for {@code reason} is a Warning
   */
  public record Decision(
      Action action,
      String reason,
      String message,
      boolean stalled,
      boolean warning,
      Instant startedAt,
      Duration recheckAfter) {
    static Decision begin() {
      return new Decision(Action.Begin, null, null, false, false, null, null);
    }
  }

  /**
   * The inputs.
   *
   * @param verdict what the graph says this release waits for
   * @param startedAt when the wait began, from status, or null
   * @param force the annotation orderly.dev/force is set
   * @param waitForDependents spec.uninstall.waitForDependents
   */
  public record Input(
      TeardownVerdict verdict,
      Instant startedAt,
      Instant now,
      Duration timeout,
      OnTimeout onTimeout,
      boolean force,
      boolean waitForDependents) {}

  private DependentsWait() {}

  /** The one decision. */
  public static Decision decide(Input in) {
    if (in.verdict() instanceof TeardownVerdict.Proceed) {
      return Decision.begin();
    }
    String waitingFor = waitingFor(in.verdict());
    if (in.force() || !in.waitForDependents()) {
      String why = in.force() ? "orderly.dev/force is set" : "uninstall.waitForDependents is false";
      return new Decision(
          Action.Begin,
          Reasons.FORCED,
          "not waiting for " + waitingFor + ": " + why,
          false,
          true,
          null,
          null);
    }
    Instant started = in.startedAt() == null ? in.now() : in.startedAt();
    Instant deadline = started.plus(in.timeout());
    if (!in.now().isBefore(deadline)) {
      String waited =
          "waited "
              + Durations.format(in.timeout())
              + " (uninstall.dependentsTimeout) for "
              + waitingFor;
      if (in.onTimeout() == OnTimeout.Continue) {
        return new Decision(
            Action.Begin,
            Reasons.DEPENDENTS_TIMED_OUT,
            waited + "; starting the teardown anyway (onTimeout: Continue)",
            false,
            true,
            null,
            null);
      }
      return new Decision(
          Action.Wait,
          Reasons.DEPENDENTS_TIMED_OUT,
          waited
              + "; still waiting (onTimeout: Fail): delete them, or annotate orderly.dev/force"
              + " or set uninstall.waitForDependents: false to tear this release down first",
          true,
          true,
          started,
          null);
    }
    Duration left = Duration.between(in.now(), deadline);
    if (in.verdict() instanceof TeardownVerdict.Cycle cycle) {
      return new Decision(
          Action.Wait,
          Reasons.DEPENDENCY_CYCLE,
          "dependency cycle "
              + DependencyGraph.describe(cycle.cycle())
              + ": its dependents would never be gone; annotate orderly.dev/force or set"
              + " uninstall.waitForDependents: false to tear it down, or fix spec.dependsOn",
          true,
          true,
          started,
          left);
    }
    return new Decision(
        Action.Wait,
        Reasons.WAITING_FOR_DEPENDENTS,
        "waiting for "
            + waitingFor
            + " to be deleted first (uninstall.dependentsTimeout "
            + Durations.format(in.timeout())
            + ")",
        false,
        false,
        started,
        left);
  }

  private static String waitingFor(TeardownVerdict verdict) {
    var dependents =
        verdict instanceof TeardownVerdict.Cycle cycle
            ? cycle.dependents()
            : ((TeardownVerdict.WaitForDependents) verdict).dependents();
    return (dependents.size() == 1
            ? "the dependent OrderedRelease "
            : "the dependent OrderedReleases ")
        + DependencyGraph.join(dependents);
  }
}
