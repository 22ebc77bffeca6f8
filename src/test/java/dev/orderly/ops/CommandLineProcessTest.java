package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.CountingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orderly run} as a user types it, in its own JVM, with KUBECONFIG pointing at a cluster
 * that counts connections: help and a typo end at once with the right exit status and open no
 * connection.
 */
class CommandLineProcessTest {
  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private CountingServer cluster;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    cluster = CountingServer.start();
    env = Map.of("KUBECONFIG", cluster.kubeconfig(dir).toString());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void runHelpPrintsUsageExitsZeroAndOpensNoConnection() {
    try (OrderlyProcess help = OrderlyProcess.start(dir.resolve("help"), env, "run", "--help")) {
      assertThat(help.awaitExit(EXIT)).isZero();
      assertThat(help.outLines()).first().isEqualTo("Usage: orderly run [options]");
      assertThat(help.errText()).isEmpty();
    }
    assertThat(cluster.connections()).isZero();
  }

  @Test
  void runWithAnUnknownOptionExitsTwoWithOneLineAndOpensNoConnection() {
    try (OrderlyProcess bogus = OrderlyProcess.start(dir.resolve("bogus"), env, "run", "--bogus")) {
      assertThat(bogus.awaitExit(EXIT)).isEqualTo(2);
      assertThat(bogus.outLines()).isEmpty();
      assertThat(bogus.errLines())
          .containsExactly("orderly run: unknown option --bogus (see orderly run --help)");
    }
    assertThat(cluster.connections()).isZero();
  }

  @Test
  void aKubeconfigVariableNamingNoFileIsOneLine() {
    try (OrderlyProcess missing =
        OrderlyProcess.start(
            dir.resolve("missing"), Map.of("KUBECONFIG", "/missing/config"), "run")) {
      assertThat(missing.awaitExit(EXIT)).isEqualTo(2);
      assertThat(missing.errLines())
          .containsExactly(
              "orderly run: kubeconfig /missing/config (from KUBECONFIG): no such file; pass"
                  + " --kubeconfig FILE or set KUBECONFIG to an existing file");
    }
  }
}
