package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.CountingServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code orderly run} checks everything it can before it touches a cluster: help, unknown options,
 * bad values, a kubeconfig that cannot be used and a taken port all end with one line and no
 * connection to the kubeconfig's server (a {@link CountingServer}).
 */
class RunUsageTest {

  @TempDir Path dir;
  private CountingServer cluster;
  private Path kubeconfig;

  @BeforeEach
  void start() {
    cluster = CountingServer.start();
    kubeconfig = cluster.kubeconfig(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void helpPrintsTheRunUsageAndTouchesNoCluster() {
    CliRun run = run("--kubeconfig", kubeconfig.toString(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(Usage.RUN).contains("--leader-election=true|false");
    assertThat(run.err()).isEmpty();
    assertThat(cluster.connections()).isZero();
  }

  @Test
  void helpWinsOverAnUnknownOption() {
    CliRun run = run("--bogus", "-h");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(Usage.RUN);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--bogus                   | unknown option --bogus (see orderly run --help)",
        "-x                        | unknown option -x (see orderly run --help)",
        "--namespace a             | unknown option --namespace (see orderly run --help)",
        "start                     | run takes options only, not 'start' (see orderly run --help)",
        "--leader-election yes     | --leader-election takes true or false, not 'yes'",
        "--metrics-port 70000      | --metrics-port must be a port number up to 65535, not 70000",
        "--metrics-port http       | --metrics-port needs a whole number of 0 or more, not http",
        "--helm-threads 0          | --helm-threads needs a positive whole number, not 0",
        "--log-format xml          | --log-format takes text or json, not 'xml'",
        "--work-dir                | --work-dir needs a value",
        "--kubeconfig              | --kubeconfig needs a value",
        "--allowed-chart-paths=charts | --allowed-chart-paths takes absolute directories, not"
            + " 'charts'",
        "--allowed-chart-paths=/tmp --work-dir=/tmp/ow | --allowed-chart-paths /tmp overlaps the"
            + " work dir /tmp/ow, where the charts of every release are cached; allow only"
            + " directories of charts",
        "--allowed-repositories=charts.example.com | --allowed-repositories: 'charts.example.com'"
            + " is not a URL prefix such as https:// or https://charts.example.com/",
        "--max-chart-archive-mib 0 | --max-chart-archive-mib needs a positive whole number, not 0",
      })
  void aUsageMistakeIsOneLineWithExitTwoAndNoConnection(String options, String message) {
    List<String> args = new ArrayList<>(List.of(options.trim().split("\\s+")));
    if (!options.contains("--kubeconfig")) {
      args.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }

    CliRun run = run(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("orderly run: " + message.trim() + "\n");
    assertThat(cluster.connections()).isZero();
  }

  @Test
  void aMissingKubeconfigSaysWhatToDo() {
    CliRun run = run("--kubeconfig", "/missing");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "orderly run: kubeconfig /missing: no such file; pass --kubeconfig FILE or set"
                + " KUBECONFIG\n");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                    | : the file is empty; pass --kubeconfig FILE",
        "'clusters: ['                         | : not a valid kubeconfig (",
        "'apiVersion: v1\nkind: Config\n'      | : no current context; choose one with kubectl"
            + " config use-context NAME",
      })
  void anUnusableKubeconfigIsOneLineNamingIt(String contents, String message) throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), contents.replace("\\n", "\n"));

    CliRun run = run("--kubeconfig", broken.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("orderly run: kubeconfig " + broken + message.trim())
        .hasLineCount(1);
  }

  @Test
  void aTakenMetricsPortEndsTheCommandBeforeItConnects() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      CliRun run = run("--kubeconfig", kubeconfig.toString(), "--metrics-port", "" + port);

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .startsWith("orderly run: cannot serve metrics and probes on port " + port + ": ")
          .contains("Address already in use")
          .endsWith("; stop what uses it, or pass --metrics-port N (0 picks a free port)\n")
          .hasLineCount(1);
      assertThat(cluster.connections()).isZero();
    }
  }

  @Test
  void anUnreachableClusterFailsAtOnceNamingKubeconfigContextAndServer() {
    CliRun run = run("--kubeconfig", kubeconfig.toString(), "--metrics-port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("orderly run: cannot reach the API server: ")
        .contains(
            "(tried kubeconfig "
                + kubeconfig
                + ", context counting, server "
                + cluster.url()
                + "); check that the cluster is up")
        .hasLineCount(1);
    // One request and no retries: the JDK's HTTP client itself tries a GET twice when the
    // connection drops; fabric8's default retries would have made 22 connections.
    assertThat(cluster.connections()).as("connections").isBetween(1, 2);
  }

  private static CliRun run(String... args) {
    List<String> line = new ArrayList<>(List.of("run"));
    line.addAll(List.of(args));
    return CliRun.of(line.toArray(String[]::new));
  }
}
