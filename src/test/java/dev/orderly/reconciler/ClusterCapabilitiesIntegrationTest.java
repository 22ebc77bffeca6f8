package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator validates a chart by rendering it for the connected cluster's version and API
 * versions (the test API server claims v1.31.0 and serves no node.k8s.io), not for helm-java's
 * v1.20.0 default nor Helm's built-in API list.
 */
class ClusterCapabilitiesIntegrationTest {
  private static final String NS = "caps";

  private OperatorHarness harness;
  // Rolls the charts' workloads out, so installs become Ready as on a cluster.
  private ClusterSimulator simulator;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
    simulator = new ClusterSimulator(harness.client(), 2).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
    harness.close();
  }

  @Test
  void aChartNeedingKubernetes124InstallsAndIsReady() {
    OrderedRelease release = Releases.ofChart(NS, "caps", chart("capabilities"));
    release.getSpec().setValues(Releases.json("{\"failOnBuiltInApiVersions\": true}"));
    harness.create(release);

    OrderedRelease ready =
        harness.awaitRelease(NS, "caps", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));

    assertThat(hasCondition(ready, "HooksValid", "True", null)).isTrue();
    assertThat(
            harness
                .client()
                .configMaps()
                .inNamespace(NS)
                .withName("caps-capabilities")
                .get()
                .getData())
        .containsEntry("kubeVersion", "v1.31.0")
        .containsEntry("node", "false");
  }

  @Test
  void theKubeVersionExampleInstallsAndItsLookupKeepsThePasswordOnUpgrade() {
    OrderedRelease release =
        Releases.ofChart(NS, "web", Path.of("charts/examples/kube-version").toAbsolutePath());
    harness.create(release);
    harness.awaitRelease(NS, "web", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    String password = password();

    OrderedRelease current = harness.get(NS, "web");
    current.getSpec().setValues(Releases.json("{\"replicas\": 3}"));
    harness.client().resource(current).update();
    harness.awaitRelease(NS, "web", r -> hasCondition(r, "Ready", "True", "UpgradeSucceeded"));

    assertThat(password).isNotEmpty();
    assertThat(password()).as("Helm's lookup found the stored password").isEqualTo(password);
  }

  private String password() {
    return harness
        .client()
        .secrets()
        .inNamespace(NS)
        .withName("web-auth")
        .get()
        .getData()
        .get("password");
  }

  @Test
  void aChartNeedingANewerKubernetesStallsNamingTheClustersVersion() {
    harness.create(Releases.ofChart(NS, "new", chart("kube-version-too-new")));

    OrderedRelease stalled =
        harness.awaitRelease(NS, "new", r -> hasCondition(r, "Stalled", "True", "RenderFailed"));

    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains(
            "chart requires kubeVersion: >=1.32.0-0 which is incompatible with Kubernetes"
                + " v1.31.0");
  }

  private static Path chart(String name) {
    return Path.of("src/test/resources/charts", name).toAbsolutePath();
  }
}
