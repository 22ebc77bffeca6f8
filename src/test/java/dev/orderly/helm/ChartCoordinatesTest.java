package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChartCoordinatesTest {
  @ParameterizedTest
  @ValueSource(strings = {"nginx", "node-agent", "kube-prometheus-stack", "a.b_c", "x1"})
  void ordinaryNamesPass(String name) {
    assertThat(ChartCoordinates.nameProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "0.1.0-rc.1+build.5", "^1.2.0", ">=1.0.0 <2.0.0", "~1.2", "*"})
  void ordinaryVersionsAndRangesPass(String version) {
    assertThat(ChartCoordinates.versionProblem(version)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "../x        | contains a path separator (/ or \\)",
        "a/b         | contains a path separator (/ or \\)",
        "..\\x       | contains a path separator (/ or \\)",
        "..          | contains '..'",
        "x..y        | contains '..'",
      })
  void pathTricksAreRefused(String name, String why) {
    assertThat(ChartCoordinates.nameProblem(name))
        .hasValue(
            "chart name '" + name + "' " + why + ": give a chart name such as nginx or node-agent");
    assertThat(ChartCoordinates.versionProblem(name)).get().asString().contains(why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "a\nb", "a\u001b[31mb", "a\u007fb"})
  void controlCharactersAreRefusedAndNotEchoed(String name) {
    String problem = ChartCoordinates.nameProblem(name).orElseThrow();
    assertThat(problem).contains("contains a control character");
    assertThat(problem.chars().noneMatch(Character::isISOControl)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void emptyAndOverlongAreRefused() {
    assertThat(ChartCoordinates.nameProblem(""))
        .hasValueSatisfying(p -> assertThat(p).contains("empty"));
    assertThat(ChartCoordinates.versionProblem(null)).isPresent();
    assertThat(ChartCoordinates.nameProblem("a".repeat(128))).isEmpty();
    String problem = ChartCoordinates.nameProblem("a".repeat(129)).orElseThrow();
    assertThat(problem).contains("longer than 128 characters").hasSizeLessThan(320);
  }
}
