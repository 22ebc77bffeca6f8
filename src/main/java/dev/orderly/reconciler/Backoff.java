package dev.orderly.reconciler;

import java.time.Duration;

/** Exponential backoff for failed Helm operations, so a bad spec causes no retry storm. */
public final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(10);

  static final Duration FIRST_TRANSIENT = Duration.ofMillis(500);
  static final Duration MAX_TRANSIENT = Duration.ofMinutes(1);

  private Backoff() {}

  /**
   * The wait after {@code failures} consecutive transient API errors (a 5xx, 429, timeout or lost
   * connection): 0.5s, 1s, 2s, … at most one minute. Short at first, since most such errors pass at
   * once; capped low, since the teardown holds a finalizer while it waits.
   */
  public static Duration afterTransient(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 16);
    Duration wait = FIRST_TRANSIENT.multipliedBy(1L << doublings);
    return wait.compareTo(MAX_TRANSIENT) > 0 ? MAX_TRANSIENT : wait;
  }

  /** The wait before attempt {@code failedAttempts + 1}: 10s, 20s, 40s, … at most 10 minutes. */
  public static Duration after(int failedAttempts) {
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 16);
    Duration wait = FIRST.multipliedBy(1L << doublings);
    return wait.compareTo(MAX) > 0 ? MAX : wait;
  }
}
