package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exit status 2 and a message naming the problem for every usage and chart mistake. */
class PlanUsageTest {

  private static final String CHART = "charts/examples/node-agent";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "plan                                        | which chart?",
        "plan charts/examples/no-such-chart          | chart not found: charts/examples/no-such-chart",
        "plan " + CHART + " " + CHART + "            | one chart at a time",
        "plan " + CHART + " -o yaml                  | -o takes table or json, not 'yaml'",
        "plan " + CHART + " --value v.yaml           | unknown option --value",
        "plan " + CHART + " --values missing.yaml    | file not found: missing.yaml",
        "plan "
            + CHART
            + " --set drain.enabled      | --set drain.enabled: key drain.enabled has no value",
        "plan " + CHART + " --hook-timeout soon      | --hook-timeout: 'soon' is not a duration",
        "plan " + CHART + " --release                | --release needs a value",
        "plan " + CHART + " --crds delete            | --crds takes Keep or Delete, not 'delete'",
        "plan --from-cluster                         | --from-cluster without a chart needs --release",
        "plan "
            + CHART
            + " --kube-version latest    | --kube-version: 'latest' is not a Kubernetes version",
        "plan " + CHART + " --kube-version           | --kube-version needs a value",
        "plan " + CHART + " --api-versions           | --api-versions needs a value",
        "plan "
            + CHART
            + " --from-cluster --kube-version v1.30.0 | --from-cluster takes the Kubernetes and API versions from the cluster",
        "plan --from-cluster "
            + CHART
            + " -a x/v1   | --from-cluster takes the Kubernetes and API versions from the cluster",
        "plan "
            + CHART
            + " --kubeconfig k.yaml     | --kubeconfig is only read with --from-cluster",
        "plan "
            + CHART
            + " --bogus                 | unknown option --bogus (see orderly plan --help)",
        "plan oci://ghcr.io/charts/.. --version 1.0.0 | chart name '..' contains '..': give a"
            + " chart name such as nginx or node-agent, as the last part of oci://host/path/chart",
        "plan oci://ghcr.io/charts/web --version ../../1.0.0 | --version: chart version"
            + " '../../1.0.0' contains a path separator (/ or \\): give a version such as 1.2.3",
      })
  void usageMistakesExitWithTwoAndSayWhatIsWrong(String commandLine, String message) {
    CliRun run = CliRun.of(commandLine.trim().split("\\s+"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("orderly plan: ").contains(message.trim());
  }

  @Test
  void aChartThatDoesNotRenderExitsWithTwoAndHelmsMessage(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(
        dir.resolve("templates/cm.yaml"), "kind: ConfigMap\n{{ .Values.nope.deeper }}\n");

    CliRun run = CliRun.of("plan", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("orderly plan: cannot render chart").contains("cm.yaml");
  }

  @Test
  void aChartNeedingANewerKubernetesNamesTheVersionAskedForAndTheOption() {
    CliRun run =
        CliRun.of("plan", "src/test/resources/charts/capabilities", "--kube-version", "1.23");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "chart requires kubeVersion: >=1.24.0-0 which is incompatible with Kubernetes v1.23.0");
  }

  @Test
  void aTemplatedChartYamlIsOneLineNamingTheFileAndTheProblem(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("Chart.yaml"), "apiVersion: v2\nname: {{ .Values.name }}\nversion: 0.1.0\n");

    CliRun run = CliRun.of("plan", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "orderly plan: "
                + dir.resolve("Chart.yaml")
                + " line 2 holds template code, but Helm reads Chart.yaml as plain YAML and never"
                + " renders it: name: {{ .Values.name }}\n");
  }

  @Test
  void aDirectoryWithoutChartYamlIsNotAChart(@TempDir Path dir) {
    CliRun run = CliRun.of("plan", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no Chart.yaml found in " + dir);
  }

  @Test
  void anObjectWithoutANameIsAChartError(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("Chart.yaml"), "apiVersion: v2\nname: nameless\nversion: 0.1.0\n");
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(dir.resolve("templates/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\n");

    CliRun run = CliRun.of("plan", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nameless/templates/cm.yaml").contains("has no metadata.name");
  }

  @Test
  void helpListsThePlanCommand() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("plan   Print the teardown")
        .contains("--from-cluster")
        .contains("--kube-version V     Kubernetes version to render for (default: v1.34.0)")
        .contains("--api-versions L, -a")
        .contains("Contacts no cluster unless --from-cluster is given (lookup returns nothing")
        .contains("-o table|json");
  }

  @Test
  void planHelpPrintsItsUsageWhateverElseIsGiven() {
    CliRun run = CliRun.of("plan", "--from-cluster", "--bogus", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(Usage.PLAN);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void anUnknownCommandIsOneLine() {
    CliRun run = CliRun.of("deploy", "--help");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "orderly: unknown command 'deploy'; the commands are plan, run and uninstall (see --help)\n");
  }

  @Test
  void noCommandPrintsTheOverviewAsAnError() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(Usage.overview());
  }
}
