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
}
