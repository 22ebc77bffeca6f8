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
  @CsvSource({
    "PT10S, 10s",
    "PT2M, 2m",
    "PT1M30S, 1m30s",
    "PT1H, 1h",
    "PT1H5M, 1h5m",
    "PT1H0.25S, 1h0.25s",
    "PT1.5S, 1.5s",
    "PT1.005S, 1.005s",
    "PT0.446S, 446ms",
    "PT0S, 0s",
    "PT26H, 26h",
    "-PT10S, -10s"
  })
  void printsDurationsAsKubectlDoesNotAsIso8601(String iso, String expected) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT10S", "PT1M30S", "PT1H0.25S", "PT0.446S", "PT1.005S", "PT10M"})
  void printedDurationsParseBack(String iso) {
    Duration duration = Duration.parse(iso);
    assertThat(Durations.parse(Durations.format(duration), null)).isEqualTo(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void blankMeansTheDefault(String text) {
    assertThat(Durations.parse(text, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse(null, Duration.ofMinutes(7))).isEqualTo(Duration.ofMinutes(7));
  }
}
