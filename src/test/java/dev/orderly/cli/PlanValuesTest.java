package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --set}, {@code --values}, names and timeouts change what {@code plan} renders and shows.
 */
class PlanValuesTest {

  private static final String CHART = "charts/examples/node-agent";

  @Test
  void setTurnsTheDrainHookOff() {
    CliRun run = CliRun.of("plan", CHART, "--set", "drain.enabled=false");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .doesNotContain("node-agent-drain")
        .contains("1. PreDeleteHooks - run each pre-delete hook in turn")
        .containsSubsequence("1. PreDeleteHooks", "(nothing)", "2. CustomResources");
  }

  @Test
  void laterValuesFilesWinAndSetWinsOverThem(@TempDir Path dir) throws IOException {
    Path off = Files.writeString(dir.resolve("off.yaml"), "drain:\n  enabled: false\n");
    Path on = Files.writeString(dir.resolve("on.yaml"), "drain:\n  enabled: true\n");

    assertThat(
            CliRun.of("plan", CHART, "--values", on.toString(), "--values", off.toString()).out())
        .doesNotContain("node-agent-drain");
    assertThat(
            CliRun.of("plan", CHART, "--values", off.toString(), "--values", on.toString()).out())
        .contains("node-agent-drain");
    assertThat(CliRun.of("plan", CHART, "-f", off.toString(), "--set", "drain.enabled=true").out())
        .contains("node-agent-drain");
  }

  @Test
  void setSplitsOnCommasAsHelmDoes() {
    // drain.enabled=false alone removes the hook; the second pair must not end up in its value.
    CliRun run = CliRun.of("plan", CHART, "--set", "drain.enabled=false,logLevel=debug");

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).doesNotContain("node-agent-drain");
  }

  @Test
  void anEscapedCommaStaysInTheValueAndBracesMakeAList(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: named\nversion: 0.1.0\n");
    Files.createDirectories(dir.resolve("templates"));
    Files.writeString(
        dir.resolve("templates/cm.yaml"),
        """
        {{- range .Values.names }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ . | quote }}}
        {{- end }}
        """);

    CliRun run = CliRun.of("plan", dir.toString(), "--set", "names={first,with\\,comma},x=1");

    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("ConfigMap  default/first\n")
        .contains("ConfigMap  default/with,comma\n");
  }

  @Test
  void releaseAndNamespaceNameEveryObject() {
    CliRun run = CliRun.of("plan", CHART, "--release", "edge", "--namespace", "agents");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("Teardown plan for release edge in namespace agents\n")
        .contains("agents/edge-drain")
        .contains("DaemonSet           agents/edge-agent")
        // Cluster-scoped objects have no namespace, whatever the release's.
        .contains("ClusterRole         edge-agent\n")
        .contains("Release             agents/edge\n");
  }

  @Test
  void timeoutsShownAreTheOptionsGiven() {
    CliRun run = CliRun.of("plan", CHART, "--hook-timeout", "90s", "--timeout", "1h", "-o", "json");

    assertThat(run.out())
        .contains("\"hookTimeout\": \"90s\"")
        .contains("\"timeout\": \"1h\"")
        .contains("wait for it (timeout 90s each)");
  }

  @Test
  void defaultTimeoutsAreTheOperatorsDefaults() {
    assertThat(CliRun.of("plan", CHART).out())
        .contains(
            "Timeouts:  5m per hook, 10m for phases 2-7 together, 10m for phase 10; on timeout"
                + " Fail: stall and retry")
        .contains("Deletes:   propagationPolicy Foreground");
  }
}
