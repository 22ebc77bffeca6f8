package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Ready means healthy, judged by the real workload controllers' status: a release becomes Ready
 * only once its workloads have rolled out, and one whose Deployment never becomes available stays
 * Ready=False naming it until the install timeout, then Stalled.
 */
@RequiresControlPlane
class ReadinessE2E extends RealClusterTest {

  @Test
  void readyOnlyAfterEveryWorkloadHasRolledOut() {
    String ns = namespace("e2e-ready");
    nodes.startingPods(pod -> Optional.of(Duration.ofSeconds(3)));
    try {
      release(ns, "rollout", "node-agent", r -> {});
      awaitReady(ns, "rollout");
      DaemonSet agents = admin.apps().daemonSets().inNamespace(ns).withName("rollout-agent").get();
      Deployment controller =
          admin.apps().deployments().inNamespace(ns).withName("rollout-controller").get();
      assertThat(agents.getStatus().getNumberAvailable())
          .as("DaemonSet pods available when Ready=True was first seen")
          .isEqualTo(agents.getStatus().getDesiredNumberScheduled())
          .isEqualTo(2);
      assertThat(controller.getStatus().getAvailableReplicas()).isEqualTo(1);
    } finally {
      nodes.startingPods(pod -> Optional.of(Duration.ZERO));
    }
  }

  @Test
  void aDeploymentThatNeverBecomesAvailableIsNamedThenStalls() {
    String ns = namespace("e2e-unready");
    // Its pods are bound to a node but never start, as with an image that cannot be pulled.
    nodes.startingPods(
        pod ->
            ns.equals(pod.getMetadata().getNamespace())
                ? Optional.empty()
                : Optional.of(Duration.ZERO));
    try {
      release(ns, "stuck", "kube-version", r -> r.getSpec().getInstall().setTimeout("20s"));
      Awaitility.await("Ready=False naming the Deployment; operator log: " + operator.log())
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> message(ns, "stuck", "Ready").contains("stuck-web"));
      assertThat(condition(ns, "stuck", "Ready")).isEqualTo("False");
      assertThat(message(ns, "stuck", "Ready"))
          .startsWith("WaitingForReadiness")
          .contains("Deployment");
      assertThat(stalled(ns, "stuck")).as("not stalled before the timeout").isFalse();

      Awaitility.await("Stalled after the 20s install timeout; operator log: " + operator.log())
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> stalled(ns, "stuck"));
      assertThat(message(ns, "stuck", "Stalled"))
          .startsWith("ReadinessTimedOut")
          .contains("Deployment");
      OrderedRelease stuck = releases().inNamespace(ns).withName("stuck").get();
      assertThat(condition(ns, "stuck", "Ready")).isEqualTo("False");
      assertThat(stuck.getStatus().getRelease()).as("Helm did install it").isNotNull();
    } finally {
      nodes.startingPods(pod -> Optional.of(Duration.ZERO));
    }
  }
}
