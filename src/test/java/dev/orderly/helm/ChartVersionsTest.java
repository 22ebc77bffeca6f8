package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChartVersionsTest {
  private static final List<String> TAGS =
      List.of(
          "0.1.0",
          "0.2.0",
          "0.2.5",
          "1.0.0-rc.1",
          "1.0.0",
          "1.4.2",
          "2.0.0",
          "2.1.0_build.7",
          "latest");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "1.4.2            => 1.4.2",
        "latest           => latest",
        "^1.0.0           => 1.4.2",
        "^0.2.0           => 0.2.5",
        "~0.2             => 0.2.5",
        "~1.4.0           => 1.4.2",
        "1.x              => 1.4.2",
        "1.4.*            => 1.4.2",
        "*                => 2.1.0+build.7",
        ">=1.0.0 <2.0.0   => 1.4.2",
        ">= 1.0.0, < 2.0.0 => 1.4.2",
        "<1.0.0           => 0.2.5",
        "<=1.4            => 1.4.2",
        ">1.4             => 2.1.0+build.7",
        "!=2.1.0 <3       => 2.0.0",
        "0.1.0 - 0.2.0    => 0.2.0",
        "^3.0 || ~0.1     => 0.1.0",
        ">=1.0.0-0 <1.0.0 => 1.0.0-rc.1",
        "2.1.0+build.7    => 2.1.0+build.7",
      })
  void selectsAsHelmDoes(String wanted, String tag) {
    assertThat(ChartVersions.select(TAGS, wanted.strip())).contains(tag.strip());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"^3.0", "<0.1.0", "9.9.9"})
  void nothingMatches(String wanted) {
    assertThat(ChartVersions.select(TAGS, wanted)).isEqualTo(Optional.empty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({">=one", "^", "1.2.3.4.5"})
  void refusesWhatIsNeitherVersionNorConstraint(String wanted) {
    assertThatThrownBy(() -> ChartVersions.select(TAGS, wanted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is neither a version nor a constraint");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"1.2.3, true", "v1.2, true", "1, true", "1.2.3+meta, true", "^1.2, false"})
  void anExactVersionIsUsedAsTheTag(String version, boolean exact) {
    assertThat(ChartVersions.isExact(version)).isEqualTo(exact);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"1.0.0+build.1, 1.0.0_build.1", "1.0.0, 1.0.0"})
  void aPlusBecomesAnUnderscoreInTheTag(String version, String tag) {
    assertThat(ChartVersions.tagOf(version)).isEqualTo(tag);
  }
}
