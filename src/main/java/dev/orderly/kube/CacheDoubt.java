package dev.orderly.kube;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an object a teardown waits on, seen still there in an informer cache, is read from the API
 * server instead. A cache is only as fresh as its watch: a watch that lost an event (a delete
 * between the informer's list and its watch, on a server that does not replay from the list's
 * resourceVersion) leaves the object in the cache for good, and a wait read only from it would
 * never end. So once an object has been seen there for {@code every}, the next look confirms it by
 * GET, and again each {@code every} while it stays: one GET per waiting object per interval.
 */
public final class CacheDoubt {
  private final Clock clock;
  private final Duration every;
  // By release, then by object: when its cached sighting was last confirmed (or first seen).
  private final Map<ResourceID, Map<String, Instant>> since = new ConcurrentHashMap<>();

  public CacheDoubt(Clock clock, Duration every) {
    this.clock = clock;
    this.every = every;
  }

  /**
   * {@code release}'s look found {@code object} in the cache, still there; returns whether to read
   * it from the API server now. The first sighting starts the interval.
   */
  public boolean confirmNow(ResourceID release, String object) {
    Instant now = clock.instant();
    Map<String, Instant> objects = since.computeIfAbsent(release, r -> new ConcurrentHashMap<>());
    Instant first = objects.putIfAbsent(object, now);
    if (first == null || now.isBefore(first.plus(every))) {
      return false;
    }
    objects.put(object, now);
    return true;
  }

  /** {@code object} was seen gone (or its step finished): a later sighting starts afresh. */
  public void settled(ResourceID release, String object) {
    Map<String, Instant> objects = since.get(release);
    if (objects != null) {
      objects.remove(object);
    }
  }

  /** {@code release} waits on nothing any more. */
  public void forget(ResourceID release) {
    since.remove(release);
  }
}
