package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.testsupport.TestApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} renders for a current Kubernetes by default, for the version and API versions given
 * with {@code --kube-version} and {@code --api-versions}, or with {@code --from-cluster} for what
 * the cluster reports (the test API server: v1.31.0, no node.k8s.io).
 */
class PlanCapabilitiesTest {

  private static final String CAPABILITIES = "src/test/resources/charts/capabilities";
  private static final String TOO_NEW = "src/test/resources/charts/kube-version-too-new";

  @Test
  void aChartNeedingARecentKubernetesPlansByDefault() {
    CliRun run = CliRun.of("plan", TOO_NEW);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("ConfigMap  default/kube-version-too-new-config");
  }

  @Test
  void aKubeVersionBelowTheChartsConstraintIsRefusedWithAHint() {
    CliRun run = CliRun.of("plan", CAPABILITIES, "--kube-version", "1.23");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "chart requires kubeVersion: >=1.24.0-0 which is incompatible with Kubernetes"
                + " v1.23.0")
        .contains("--kube-version");
  }

  @Test
  void apiVersionsGivenCommaSeparatedOrRepeatedAreFound() {
    CliRun without = CliRun.of("plan", CAPABILITIES);
    CliRun commaSeparated =
        CliRun.of(
            "plan",
            CAPABILITIES,
            "--api-versions",
            "monitoring.coreos.com/v1,monitoring.coreos.com/v1/ServiceMonitor");
    CliRun repeated =
        CliRun.of(
            "plan",
            CAPABILITIES,
            "-a",
            "monitoring.coreos.com/v1",
            "--api-versions",
            "monitoring.coreos.com/v1/ServiceMonitor");

    assertThat(without.out()).doesNotContain("ServiceMonitor");
    for (CliRun run : new CliRun[] {commaSeparated, repeated}) {
      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .containsSubsequence(
              "2. CustomResources", "ServiceMonitor  default/capabilities", "3. Admission");
    }
  }

  @Test
  void fromClusterRendersForTheClustersVersionAndApiVersions(@TempDir Path dir) throws IOException {
    try (TestApiServer server = new TestApiServer().start()) {
      String kubeconfig =
          Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig()).toString();

      CliRun tooNew = CliRun.of("plan", TOO_NEW, "--from-cluster", "--kubeconfig", kubeconfig);
      CliRun exact =
          CliRun.of(
              "plan",
              "--from-cluster",
              CAPABILITIES,
              "--kubeconfig",
              kubeconfig,
              "--set",
              "failOnBuiltInApiVersions=true");

      assertThat(tooNew.exitCode()).isEqualTo(2);
      assertThat(tooNew.err())
          .contains("incompatible with Kubernetes v1.31.0")
          .doesNotContain("--kube-version");
      assertThat(exact.err()).isEmpty();
      assertThat(exact.exitCode()).isZero();
    }
    CliRun offline = CliRun.of("plan", CAPABILITIES, "--set", "failOnBuiltInApiVersions=true");
    assertThat(offline.err()).contains("rendered with Helm's built-in API versions");
  }
}
