package dev.orderly.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How often a teardown's status may be written for progress alone. Within a phase, each object gone
 * changes the progress message; written every time, that is a write per object, and with many
 * releases at once the status writes outnumber everything else the operator sends. A write that
 * only changes progress (same phase, same conditions and reasons, other messages) waits until
 * {@link #EVERY} has passed since the release's last status write; anything else is written at
 * once. The ledger, which crash safety reads, is never held. Real elapsed time, not the operator's
 * clock: this is about load on the API server, and a frozen test clock must not hold status for
 * good.
 */
final class StatusPacing {
  /** At most one progress-only status write per release this often. */
  static final Duration EVERY = Duration.ofSeconds(1);

  private final LongSupplier nanoTime;
  private final Map<ResourceID, Long> lastWrite = new ConcurrentHashMap<>();

  StatusPacing() {
    this(System::nanoTime);
  }

  StatusPacing(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * How long {@code release}'s status write must wait: zero when it may go now (not progress only,
   * or nothing written for {@link #EVERY}), else the time left.
   */
  Duration holdFor(ResourceID release, boolean progressOnly) {
    Long last = lastWrite.get(release);
    if (!progressOnly || last == null) {
      return Duration.ZERO;
    }
    long left = EVERY.toNanos() - (nanoTime.getAsLong() - last);
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /** {@code release}'s status was just written. */
  void wrote(ResourceID release) {
    lastWrite.put(release, nanoTime.getAsLong());
  }

  /** {@code release}'s teardown is over. */
  void forget(ResourceID release) {
    lastWrite.remove(release);
  }
}
