package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How often a teardown's status is written for progress alone. */
class StatusPacingTest {
  private static final ResourceID AGENT = new ResourceID("agent", "agents");
  private static final ResourceID OTHER = new ResourceID("other", "agents");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final StatusPacing pacing = new StatusPacing(nanos::get);

  @Test
  void progressWaitsForThePaceAfterAWriteAndAnythingElseGoesAtOnce() {
    assertThat(pacing.holdFor(AGENT, true)).as("nothing written yet").isZero();

    pacing.wrote(AGENT);
    nanos.addAndGet(Duration.ofMillis(300).toNanos());

    assertThat(pacing.holdFor(AGENT, true)).isEqualTo(Duration.ofMillis(700));
    assertThat(pacing.holdFor(AGENT, false)).as("a new phase or reason").isZero();
    assertThat(pacing.holdFor(OTHER, true)).as("each release its own pace").isZero();

    nanos.addAndGet(Duration.ofMillis(700).toNanos());
    assertThat(pacing.holdFor(AGENT, true)).isZero();
  }

  @Test
  void aFinishedTeardownIsForgotten() {
    pacing.wrote(AGENT);
    pacing.forget(AGENT);

    assertThat(pacing.holdFor(AGENT, true)).isZero();
  }
}
