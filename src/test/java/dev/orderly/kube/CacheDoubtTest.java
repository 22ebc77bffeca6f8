package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.MutableClock;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When an object still in a cache is read from the API server instead. */
class CacheDoubtTest {
  private static final Duration EVERY = Duration.ofSeconds(15);
  private static final ResourceID FIRST = new ResourceID("first", "releases");
  private static final ResourceID SECOND = new ResourceID("second", "releases");
  private static final String DAEMON_SET = "apps/v1/DaemonSet/agents/agent";

  private final MutableClock clock = MutableClock.startingNow();
  private final CacheDoubt doubt = new CacheDoubt(clock, EVERY);

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
}
