package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * On the real API server: the CRD's rules refuse a chart name or version with a path in it at
 * admission, and the operator, run as a process with its flags, stalls a chart.path of "/" with
 * ChartPathNotAllowed and one Warning Event, installing nothing.
 */
@RequiresControlPlane
class ChartSourceE2E extends RealClusterTest {

  @Test
  void theApiServerRefusesPathTricksInNameAndVersion() {
    String ns = namespace("e2e-chartsrc");

    assertThatThrownBy(
            () ->
                release(
                    ns,
                    "dotdot",
                    "node-agent",
                    r -> {
                      r.getSpec().getChart().setPath(null);
                      r.getSpec().getChart().setRepository("https://charts.example.com");
                      r.getSpec().getChart().setName("../../etc");
                      r.getSpec().getChart().setVersion("1.0.0");
                    }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("chart.name must be a chart name");
    assertThatThrownBy(
            () ->
                release(
                    ns,
                    "dotdot",
                    "node-agent",
                    r -> {
                      r.getSpec().getChart().setPath(null);
                      r.getSpec().getChart().setRepository("https://charts.example.com");
                      r.getSpec().getChart().setName("web");
                      r.getSpec().getChart().setVersion("../1.0.0");
                    }))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("chart.version must be a version or range");
  }

  @Test
  void aChartPathOfRootStallsWithOneWarningAndInstallsNothing() {
    String ns = namespace("e2e-chartsrc");
    release(ns, "root", "node-agent", r -> r.getSpec().getChart().setPath("/"));

    Awaitility.await("root stalls; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> stalled(ns, "root"));

    assertThat(message(ns, "root", "Stalled"))
        .startsWith(
            "ChartPathNotAllowed: chart.path / is not under the directories the operator may read"
                + " charts from");
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "Warning".equals(e.getType()))
        .extracting(Event::getReason)
        .containsExactly("ChartPathNotAllowed");
    assertThat(admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems())
        .isEmpty();
  }
}
