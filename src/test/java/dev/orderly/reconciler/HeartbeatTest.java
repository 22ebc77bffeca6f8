package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @ParameterizedTest(name = "last {0}: due {1}")
  @CsvSource(
      nullValues = "none",
      value = {
        "none, true",
        "'', true",
        "not-a-time, true",
        "2026-03-01T12:00:00Z, false",
        "2026-03-01T11:59:30Z, false",
        "2026-03-01T11:59:00.001Z, false",
        "2026-03-01T11:59:00Z, true",
        "2026-03-01T11:00:00Z, true",
        "2026-03-01T12:00:30Z, true"
      })
  void writesAtMostOnceAMinute(String last, boolean due) {
    assertThat(Heartbeat.due(last, NOW)).isEqualTo(due);
  }

  @org.junit.jupiter.api.Test
  void staleOnlyAfterSeveralResyncsWereMissed() {
    assertThat(Heartbeat.STALE_AFTER)
        .isGreaterThanOrEqualTo(Heartbeat.RESYNC.plus(Heartbeat.WRITE_INTERVAL));
  }
}
