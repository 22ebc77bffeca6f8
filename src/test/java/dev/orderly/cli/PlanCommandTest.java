package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins {@code orderly plan}'s table and JSON for every example chart against the golden files in
 * {@code src/test/resources/golden}. To regenerate them after an intended change:
 *
 * <pre>
 * mvn -B -q -o test -Dtest='dev.orderly.cli.PlanCommandTest' -Dorderly.updateGolden=true
 * git diff src/test/resources/golden
 * </pre>
 */
class PlanCommandTest {

  /** Each example chart and the exit status its hook annotations deserve. */
  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of("node-agent", 0),
        Arguments.of("hook-typo", 1),
        Arguments.of("hook-ordering", 0),
        Arguments.of("keep-and-crds", 0),
        Arguments.of("templated-crds", 0),
        Arguments.of("webhook-backend", 0),
        Arguments.of("aggregated-api", 0),
        Arguments.of("policy-and-weights", 1),
        Arguments.of("kube-version", 0),
        Arguments.of("own-namespace", 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void tableMatchesTheGoldenFile(String chart, int exitCode) {
    // A relative path, as a user types it: the table shows it, and it must not vary by machine.
    CliRun run = CliRun.of("plan", "charts/examples/" + chart);

    assertThat(run.err()).isEmpty();
    GoldenFiles.assertMatches(chart + ".table.txt", run.out());
    assertThat(run.exitCode()).isEqualTo(exitCode);
  }

  @Test
  void withCrdsDeleteATemplatedCrdIsDeletedAfterTheRecord() {
    CliRun run = CliRun.of("plan", "charts/examples/templated-crds", "--crds", "Delete");

    assertThat(run.err()).isEmpty();
    GoldenFiles.assertMatches("templated-crds.crds-delete.table.txt", run.out());
    assertThat(run.exitCode()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void jsonMatchesTheGoldenFile(String chart, int exitCode) {
    CliRun run = CliRun.of("plan", "charts/examples/" + chart, "-o", "json");

    assertThat(run.err()).isEmpty();
    GoldenFiles.assertMatches(chart + ".json", run.out());
    assertThat(run.exitCode()).isEqualTo(exitCode);
  }
}
