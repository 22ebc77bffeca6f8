package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** status.lastReconcileTime: set by every successful reconcile, written at most once a minute. */
class HeartbeatIntegrationTest {
  private static final String NS = "beats";
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start(clock);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void theHeartbeatFollowsReconcilesAtMostOnceAMinute() {
    // Suspended, so every reconcile is quick and Helm stays out of it.
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    release.getSpec().setSuspend(true);
    harness.create(release);
    OrderedRelease first = awaitObserved(1L);
    assertThat(first.getStatus().getLastReconcileTime()).isEqualTo("2026-03-01T12:00:00Z");

    clock.advance(Duration.ofSeconds(30));
    changeSpec("{\"logLevel\":\"debug\"}");
    OrderedRelease second = awaitObserved(2L);
    assertThat(second.getStatus().getLastReconcileTime())
        .as("a reconcile 30s later does not write the heartbeat again")
        .isEqualTo("2026-03-01T12:00:00Z");

    clock.advance(Duration.ofSeconds(31));
    changeSpec("{\"logLevel\":\"warn\"}");
    OrderedRelease third = awaitObserved(3L);
    assertThat(third.getStatus().getLastReconcileTime())
        .isEqualTo(T0.plus(61, ChronoUnit.SECONDS).toString());
  }

  private OrderedRelease awaitObserved(long generation) {
    return harness.awaitRelease(
        NS,
        "agent",
        r ->
            r.getStatus() != null
                && Long.valueOf(generation).equals(r.getStatus().getObservedGeneration())
                && r.getStatus().getLastReconcileTime() != null);
  }

  private void changeSpec(String values) {
    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName("agent")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"values\":" + values + "}}");
  }
}
