package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.TestApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orderly run}, as its own JVM as users run it, checks the OrderedRelease CRD before it
 * starts: without one it stops saying how to install it. An outdated CRD is refused the same way,
 * and InstalledCrdTest shows the check finds one: run here against the in-memory server, the
 * process's GET of a changed CRD stalled once in four runs, so that case is tested at the adapter.
 */
class RunCrdCheckTest {
  private static final java.time.Duration EXIT = java.time.Duration.ofSeconds(60);

  @TempDir Path dir;
  private TestApiServer server;
  private Path kubeconfig;

  @BeforeEach
  void start() throws IOException {
    server = new TestApiServer().start();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void noCrdStopsTheOperatorSayingHowToInstallIt() {
    try (OrderlyProcess run = run("missing")) {
      assertThat(run.awaitExit(EXIT)).isEqualTo(2);
      assertThat(run.errLines())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith(
              "orderly run: the OrderedRelease CRD orderedreleases.orderly.dev is not installed;"
                  + " install it: kubectl apply");
    }
  }

  private OrderlyProcess run(String name) {
    return OrderlyProcess.start(
        dir.resolve(name),
        // HTTP/1.1, as every client of the test server: the JDK client's cleartext HTTP/2 upgrade
        // stalls on its large answers (a CRD), as on no real API server, which speaks TLS.
        java.util.Map.of("KUBERNETES_HTTP2_DISABLE", "true"),
        "run",
        "--kubeconfig",
        kubeconfig.toString(),
        "--metrics-port",
        "0",
        "--leader-election=false");
  }
}
