package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.CountingServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan --from-cluster} against a cluster that does not answer fails at once, without
 * retries, and names the kubeconfig, context and server it tried; a kubeconfig that does not exist
 * is named with what to do.
 */
class PlanFromUnreachableClusterTest {

  @Test
  void anUnreachableClusterIsOneLineNamingWhatWasTried(@TempDir Path dir) {
    try (CountingServer cluster = CountingServer.start()) {
      Path kubeconfig = cluster.kubeconfig(dir);

      CliRun run =
          CliRun.of(
              "plan",
              "--from-cluster",
              "--release",
              "agent",
              "-n",
              "agents",
              "--kubeconfig",
              kubeconfig.toString());

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .startsWith(
              "orderly plan: cannot read the Helm records of release agent in namespace agents: ")
          .contains(
              "(tried kubeconfig "
                  + kubeconfig
                  + ", context counting, server "
                  + cluster.url()
                  + "); check that the cluster is up and that this is the kubeconfig and context")
          .hasLineCount(1);
      // One request, no retries (the JDK's HTTP client tries a dropped GET twice by itself).
      assertThat(cluster.connections()).isBetween(1, 2);
    }
  }

  @Test
  void aMissingKubeconfigSaysWhatToDo() {
    CliRun run =
        CliRun.of("plan", "--from-cluster", "--release", "agent", "--kubeconfig", "/missing");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "orderly plan: kubeconfig /missing: no such file; pass --kubeconfig FILE or set"
                + " KUBECONFIG\n");
  }

  @Test
  void theQuickClientConnectsBrieflyAndNeverRetries(@TempDir Path dir) {
    try (CountingServer cluster = CountingServer.start()) {
      ClusterTarget target = ClusterTarget.load(cluster.kubeconfig(dir), Map.of());

      assertThat(target.quickConfig().getConnectionTimeout()).isEqualTo(3_000);
      assertThat(target.quickConfig().getRequestRetryBackoffLimit()).isZero();
      assertThat(target.quickConfig().getMasterUrl()).startsWith(cluster.url());
      assertThat(target.config().getRequestRetryBackoffLimit())
          .as("the operator's own client keeps retrying")
          .isPositive();
      assertThat(cluster.connections()).as("loading a kubeconfig connects nowhere").isZero();
    }
  }

  @Test
  void aPlainHttpServerIsSpokenToInHttp11AndATlsOneAgreesInTheHandshake(@TempDir Path dir) {
    try (CountingServer cluster = CountingServer.start()) {
      ClusterTarget plain = ClusterTarget.load(cluster.kubeconfig(dir), Map.of());
      ClusterTarget tls =
          new ClusterTarget(
              new ConfigBuilder(plain.config())
                  .withMasterUrl("https://api.example.com:6443")
                  .build(),
              null,
              "test");

      assertThat(plain.config().getMasterUrl()).startsWith("http://");
      assertThat(plain.clientConfig().isHttp2Disable()).isTrue();
      assertThat(plain.quickConfig().isHttp2Disable()).isTrue();
      assertThat(tls.clientConfig().isHttp2Disable()).isFalse();
      assertThat(tls.quickConfig().isHttp2Disable()).isFalse();
    }
  }
}
