package dev.orderly.reconciler;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash points for crash-safety tests: with {@code ORDERLY_CRASH_AT=POINT} or {@code POINT#N} in
 * the environment, the process halts (no shutdown hook, as SIGKILL) the N-th time (default the
 * first) the teardown reaches POINT. Points are {@code before-ACTION}, after the intent is saved
 * and before the action is sent, and {@code after-ACTION}, after it is sent and before anything
 * else is saved; ACTION is {@code create-hook}, {@code delete} or {@code remove-release}. Unset, it
 * does nothing: it exists so the end-to-end suite can kill the operator at exactly these instants.
 */
public final class CrashPoints {
  /** The environment variable naming the crash point. */
  public static final String ENVIRONMENT = "ORDERLY_CRASH_AT";

  private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

  private final String point;
  private final int occurrence;
  private final AtomicInteger reached = new AtomicInteger();

  private CrashPoints(String point, int occurrence) {
    this.point = point;
    this.occurrence = occurrence;
  }

  /** No crash point: the production setting. */
  public static CrashPoints none() {
    return new CrashPoints(null, 0);
  }

  /** The crash point {@code spec} ({@code POINT} or {@code POINT#N}); blank means none. */
  public static CrashPoints parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return none();
    }
    String[] parts = spec.trim().split("#", 2);
    int occurrence = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
    if (occurrence < 1) {
      throw new IllegalArgumentException(ENVIRONMENT + ": the occurrence must be 1 or more");
    }
    return new CrashPoints(parts[0], occurrence);
  }

  /** Halts the process if this is the configured point's configured occurrence. */
  public void reached(String at) {
    if (at.equals(point) && reached.incrementAndGet() == occurrence) {
      LOG.warn("{}={}#{}: halting now", ENVIRONMENT, point, occurrence);
      Runtime.getRuntime().halt(137);
    }
  }
}
