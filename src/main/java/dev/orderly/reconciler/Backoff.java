package dev.orderly.reconciler;

import java.time.Duration;

/** Exponential backoff for failed Helm operations, so a bad spec causes no retry storm. */
public final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(10);

  private Backoff() {}

  /** The wait before attempt {@code failedAttempts + 1}: 10s, 20s, 40s, … at most 10 minutes. */
  public static Duration after(int failedAttempts) {
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 16);
    Duration wait = FIRST.multipliedBy(1L << doublings);
    return wait.compareTo(MAX) > 0 ? MAX : wait;
  }
}
