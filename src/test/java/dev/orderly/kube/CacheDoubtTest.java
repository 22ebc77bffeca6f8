package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When an object still in a cache is read from the API server instead. */
class CacheDoubtTest {
  private static final Duration EVERY = Duration.ofSeconds(15);
  private static final ResourceID FIRST = new ResourceID("first", "releases");
  private static final ResourceID SECOND = new ResourceID("second", "releases");
  private static final String DAEMON_SET = "apps/v1/DaemonSet/agents/agent";

  private final Ticker clock = new Ticker();
  private final CacheDoubt doubt = new CacheDoubt(clock::nanos, EVERY);

  @Test
  void anObjectIsConfirmedOnceItHasBeenSeenForTheIntervalAndThenOncePerInterval() {
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).as("first sighting").isFalse();
    clock.advance(EVERY.minusSeconds(1));
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).isTrue();
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).as("just confirmed").isFalse();
    clock.advance(EVERY);
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).isTrue();
  }

  @Test
  void aSettledObjectOrAForgottenReleaseStartsAfresh() {
    doubt.confirmNow(FIRST, DAEMON_SET);
    clock.advance(EVERY);
    doubt.settled(FIRST, DAEMON_SET);
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).as("a new first sighting").isFalse();

    clock.advance(EVERY);
    doubt.forget(FIRST);
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).isFalse();
  }

  @Test
  void eachReleaseKeepsItsOwnInterval() {
    doubt.confirmNow(FIRST, DAEMON_SET);
    clock.advance(EVERY);

    assertThat(doubt.confirmNow(SECOND, DAEMON_SET)).isFalse();
    assertThat(doubt.confirmNow(FIRST, DAEMON_SET)).isTrue();
  }

  /** A monotonic clock moved by hand. */
  static final class Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    long nanos() {
      return nanos.get();
    }

    void advance(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }
  }
}
