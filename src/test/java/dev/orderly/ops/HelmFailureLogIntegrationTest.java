package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed {@code helm install} is in the operator's log, naming the release and Helm's cause, not
 * only in status and an Event: the log is what keeps every attempt.
 */
class HelmFailureLogIntegrationTest {
  private static final String NS = "apps";

  @TempDir Path dir;
  private TestApiServer server;
  private KubernetesClient test;

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    test = OperatorClients.testSide(server);
    OperatorHarness.createCrd(test);
  }

  @AfterEach
  void stop() {
    test.close();
    server.close();
  }

  @Test
  void aFailedInstallIsLoggedWithTheReleaseAndHelmsCause() throws IOException {
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig());
    try (OrderlyProcess operator =
        OrderlyProcess.start(
            dir.resolve("operator"),
            Map.of("ORDERLY_LOG_LEVEL", "info"),
            "run",
            "--kubeconfig",
            kubeconfig.toString(),
            "--leader-election=false",
            "--metrics-port",
            "0",
            "--work-dir",
            dir.resolve("work").toString(),
            "--allowed-chart-paths",
            Path.of("src/test/resources/charts").toAbsolutePath().toString())) {
      operator.awaitLogLine(l -> l.contains(" - Orderly is running as "), Duration.ofSeconds(90));

      // A Widget with no CRD in the cluster: Helm cannot map the kind and the install fails.
      test.resource(
              Releases.ofChart(NS, "gear", Path.of("src/test/resources/charts/widget-instance")))
          .create();

      String line =
          operator.awaitLogLine(l -> l.contains("Helm operation failed"), OperatorHarness.TIMEOUT);
      assertThat(line)
          .contains("WARN")
          .contains("[" + NS + "/gear]")
          .contains("(attempt 1): InstallFailed: helm install failed: ")
          .contains("unable to build kubernetes objects from release manifest");
    }
  }
}
