package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedReleaseStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {
  private final OrderedReleaseStatus status = new OrderedReleaseStatus();

  @Test
  void transitionTimeMovesOnlyWhenTheStatusValueChanges() {
    at("2026-01-01T00:00:00Z", 1L).setTrue("Ready", "InstallSucceeded", "installed");
    at("2026-01-01T00:05:00Z", 2L).setTrue("Ready", "UpgradeSucceeded", "upgraded");
    Condition ready = StatusConditions.find(status, "Ready").orElseThrow();
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ready.getReason()).isEqualTo("UpgradeSucceeded");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);

    at("2026-01-01T00:09:00Z", 3L).setFalse("Ready", "UpgradeFailed", "boom");
    assertThat(StatusConditions.find(status, "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-01-01T00:09:00Z");
    assertThat(status.getConditions()).hasSize(1);
  }

  @Test
  void removeDropsOnlyThatType() {
    at("2026-01-01T00:00:00Z", 1L).setTrue("Ready", "r", "m").setTrue("Stalled", "s", "m");
    new StatusConditions(status, 1L, Clock.systemUTC()).remove("Stalled");
    assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("Ready");
    assertThat(StatusConditions.isTrue(status, "Ready")).isTrue();
    assertThat(StatusConditions.isTrue(status, "Stalled")).isFalse();
  }

  @Test
  void observingAGenerationStampsTheStatusAndEveryCondition() {
    at("2026-01-01T00:00:00Z", 1L)
        .setTrue("Ready", "InstallSucceeded", "installed")
        .setTrue("HooksValid", "HooksValid", "valid");
    status.setObservedGeneration(1L);

    // Deletion bumps the generation; the teardown re-evaluates and observes it.
    at("2026-01-01T00:05:00Z", 2L)
        .setFalse("Ready", "TeardownInProgress", "torn down")
        .observeGeneration();

    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getObservedGeneration)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("Ready", 2L),
            org.assertj.core.api.Assertions.tuple("HooksValid", 2L));
    assertThat(StatusConditions.find(status, "HooksValid").orElseThrow().getLastTransitionTime())
        .as("stamping is not a transition")
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  private StatusConditions at(String instant, Long generation) {
    return new StatusConditions(
        status, generation, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }
}
