package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} sends nothing to a cluster without {@code --from-cluster}, even for a chart that
 * calls {@code lookup}. Helm inside helm-java reads the kubeconfig from the process environment, so
 * {@code plan} runs in a JVM of its own whose KUBECONFIG names a local socket that counts every
 * connection (and answers 404, so a client that gets through fails fast).
 */
class PlanOfflineTest {

  private static final String LOOKUP_CHART = "src/test/resources/charts/lookup";

  @Test
  void aChartThatCallsLookupIsPlannedWithoutAnyConnection(@TempDir Path dir) throws Exception {
    try (ConnectionCounter cluster = new ConnectionCounter()) {
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig(cluster.port()));

      Run plan = plan(dir, kubeconfig, "plan", LOOKUP_CHART, "--release", "rel");

      assertThat(plan.exitCode()).as(plan.output()).isZero();
      assertThat(plan.output())
          .contains("Secret     default/rel-auth")
          .contains("ConfigMap  default/rel-lookups");
      assertThat(cluster.connections()).as("connections to the kubeconfig's cluster").isZero();

      // The same process set-up does reach the socket once a cluster is asked for.
      Run fromCluster = plan(dir, kubeconfig, "plan", "--from-cluster", "--release", "rel");
      assertThat(fromCluster.exitCode()).isEqualTo(2);
      assertThat(cluster.connections()).isPositive();
    }
  }

  private record Run(int exitCode, String output) {}

  private static Run plan(Path dir, Path kubeconfig, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-Dkubernetes.request.retry.backoffLimit=0");
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Path output = dir.resolve("plan-output.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    // Nothing else to fall back on: no ~/.kube/config, no in-cluster service account.
    env.put("HOME", dir.toString());
    env.remove("KUBERNETES_SERVICE_HOST");
    env.remove("KUBERNETES_SERVICE_PORT");
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("plan did not finish within 120 s");
    }
    return new Run(process.exitValue(), Files.readString(output));
  }

  private static String kubeconfig(int port) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: counted
          cluster: {server: "http://127.0.0.1:%d"}
        contexts:
        - name: counted
          context: {cluster: counted, user: counted, namespace: default}
        current-context: counted
        users:
        - name: counted
          user: {token: not-a-secret}
        """
        .formatted(port);
  }

  /** A loopback socket that counts connections and answers each request with 404. */
  private static final class ConnectionCounter implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    ConnectionCounter() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::accept, "connection-counter");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          connections.incrementAndGet();
          OutputStream out = client.getOutputStream();
          out.write(
              "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException e) {
          if (!socket.isClosed()) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }

    @Override
    public void close() throws IOException, InterruptedException {
      socket.close();
      acceptor.join(5_000);
    }
  }
}
