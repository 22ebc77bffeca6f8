package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"90s, PT1M30S", "5m, PT5M", "1h30m, PT1H30M", "250ms, PT0.25S", "1.5h, PT1H30M"})
  void parsesKubernetesDurations(String text, String expected) {
    assertThat(Durations.parse(text, null)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "5 minutes", "m5", "-1s", "1d"})
  void rejectsWhatIsNotADurationAndSaysWhy(String text) {
    assertThatThrownBy(() -> Durations.parse(text, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is not a duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void blankMeansTheDefault(String text) {
    assertThat(Durations.parse(text, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse(null, Duration.ofMinutes(7))).isEqualTo(Duration.ofMinutes(7));
  }
}
