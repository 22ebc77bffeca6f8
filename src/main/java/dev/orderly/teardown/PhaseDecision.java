package dev.orderly.teardown;

import java.time.Duration;
import java.util.List;

/**
 * What to do in the current phase now: the actions to carry out, the Events to record, and whether
 * the phase is complete, waiting, or stalled until something outside changes.
 */
public record PhaseDecision(
    Outcome outcome,
    List<TeardownAction> actions,
    List<Notice> notices,
    Duration recheckAfter,
    String reason,
    String message) {

  /** Where the phase stands after this decision. */
  public enum Outcome {
    /** Every step is finished: go on to the next phase. */
    Complete,
    /** Work is under way; look again when woken or after {@code recheckAfter}. */
    Waiting,
    /** Cannot go on: a hook failed or the phase ran out of time with onTimeout Fail. */
    Stalled
  }

  /** An Event to record. {@code warning} false means Normal. */
  public record Notice(boolean warning, String reason, String message) {}

  public PhaseDecision {
    actions = List.copyOf(actions);
    notices = List.copyOf(notices);
  }
}
