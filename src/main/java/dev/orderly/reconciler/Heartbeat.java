package dev.orderly.reconciler;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@code status.lastReconcileTime} is refreshed. Every object is reconciled at least every
 * {@link #RESYNC}, and the time is written at most every {@link #WRITE_INTERVAL}, so a thousand
 * idle releases cost a few status writes a second rather than one per reconcile; a time older than
 * {@link #STALE_AFTER} means the operator is not reconciling the object.
 */
public final class Heartbeat {
  /** The longest an object goes without a reconcile while the operator runs. */
  public static final Duration RESYNC = Duration.ofMinutes(5);

  /** The shortest time between two writes of the heartbeat. */
  public static final Duration WRITE_INTERVAL = Duration.ofMinutes(1);

  /** How old the heartbeat may grow before it says the operator is not looking. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(10);

  private Heartbeat() {}

  /**
   * Whether a successful reconcile at {@code now} writes the heartbeat, given the last one ({@code
   * last}, RFC 3339, or null). A time in the future, from a replica whose clock ran ahead, is
   * replaced at once rather than left to block writes.
   */
  public static boolean due(String last, Instant now) {
    if (last == null || last.isBlank()) {
      return true;
    }
    Instant previous;
    try {
      previous = Instant.parse(last);
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
    return previous.isAfter(now) || !now.isBefore(previous.plus(WRITE_INTERVAL));
  }
}
