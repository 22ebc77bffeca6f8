package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  @ParameterizedTest
  @CsvSource({"1, PT10S", "2, PT20S", "3, PT40S", "6, PT5M20S", "7, PT10M", "50, PT10M"})
  void doublesUpToTenMinutes(int failedAttempts, String expected) {
    assertThat(Backoff.after(failedAttempts)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({"1, PT0.5S", "2, PT1S", "3, PT2S", "8, PT60S", "9, PT60S", "100, PT60S"})
  void transientApiErrorsBackOffFromHalfASecondUpToAMinute(int failures, String expected) {
    assertThat(Backoff.afterTransient(failures)).isEqualTo(Duration.parse(expected));
  }
}
