package dev.orderly.kube;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When an object a teardown waits on, seen still there in an informer cache, is read from the API
 * server instead. A cache is only as fresh as its watch: a watch that lost an event (a delete
 * between the informer's list and its watch, on a server that does not replay from the list's
 * resourceVersion) leaves the object in the cache for good, and a wait read only from it would
 * never end. So once an object has been seen there for {@code every}, the next look confirms it by
 * GET, and again each {@code every} while it stays: one GET per waiting object per interval. Real
 * elapsed time, not the teardown's clock: staleness is a matter of real time, and a teardown clock
 * that stands still (a test's) must not keep a stale cache trusted for good.
 */
public final class CacheDoubt {
  private final LongSupplier nanoTime;
  private final long everyNanos;
  // By release, then by object: when (nanoTime) its cached sighting was last confirmed or first
  // seen.
  private final Map<ResourceID, Map<String, Long>> since = new ConcurrentHashMap<>();

  /**
   * @param nanoTime a monotonic clock, {@code System::nanoTime} outside tests
   */
  public CacheDoubt(LongSupplier nanoTime, Duration every) {
    this.nanoTime = nanoTime;
    this.everyNanos = every.toNanos();
  }

  /**
   * {@code release}'s look found {@code object} in the cache, still there; returns whether to read
   * it from the API server now. The first sighting starts the interval.
   */
  public boolean confirmNow(ResourceID release, String object) {
    long now = nanoTime.getAsLong();
    Map<String, Long> objects = since.computeIfAbsent(release, r -> new ConcurrentHashMap<>());
    Long first = objects.putIfAbsent(object, now);
    if (first == null || now - first < everyNanos) {
      return false;
    }
    objects.put(object, now);
    return true;
  }

  /** {@code object} was seen gone (or its step finished): a later sighting starts afresh. */
  public void settled(ResourceID release, String object) {
    Map<String, Long> objects = since.get(release);
    if (objects != null) {
      objects.remove(object);
    }
  }

  /** {@code release} waits on nothing any more. */
  public void forget(ResourceID release) {
    since.remove(release);
  }
}
