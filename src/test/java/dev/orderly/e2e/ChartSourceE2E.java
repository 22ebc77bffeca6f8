package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * On the real control plane, the operator run as a process with its flags: a chart name or version
 * with a path in it stalls as InvalidSpec, and a chart.path of "/" stalls with ChartPathNotAllowed
 * and one Warning Event, installing nothing.
 */
@RequiresControlPlane
class ChartSourceE2E extends RealClusterTest {

  @Test
  void pathTricksInNameAndVersionStallAsInvalidSpec() {
    // The CRD's CEL rules refuse these at admission from Kubernetes 1.25; this plane is 1.24,
    // where the operator's own check is what stops them.
    String ns = namespace("e2e-chartsrc");
    release(
        ns,
        "dotdot",
        "node-agent",
        r -> {
          r.getSpec().getChart().setPath(null);
          r.getSpec().getChart().setRepository("https://charts.example.com");
          r.getSpec().getChart().setName("../../etc");
          r.getSpec().getChart().setVersion("../1.0.0");
        });

    Awaitility.await("dotdot stalls; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> stalled(ns, "dotdot"));

    assertThat(message(ns, "dotdot", "Stalled"))
        .startsWith("InvalidSpec: spec.chart name '../../etc' contains a path separator")
        .contains("spec.chart version '../1.0.0' contains a path separator");
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
