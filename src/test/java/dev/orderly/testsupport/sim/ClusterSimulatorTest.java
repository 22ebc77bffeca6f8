package dev.orderly.testsupport.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake controllers behave as Kubernetes documents, one behaviour per test. */
class ClusterSimulatorTest {
  private static final Duration BOUND = Duration.ofSeconds(20);

  private TestApiServer server;
  private ClusterSimulator simulator;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    client = server.client();
    simulator = new ClusterSimulator(client, 2).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
    server.close();
  }

  @Test
  void aDaemonSetGetsOnePodPerNode() {
    DaemonSet daemonSet = client.resource(daemonSet("agent")).create();
    // A pod is created, then reported Running: wait for both steps, not only the first.
    await()
        .atMost(BOUND)
        .until(
            () ->
                pods().size() == 2
                    && pods().stream()
                        .allMatch(p -> p.getStatus() != null && p.getStatus().getPhase() != null));
    assertThat(pods())
        .allSatisfy(
            pod -> {
              assertThat(pod.getMetadata().getOwnerReferences().get(0).getUid())
                  .isEqualTo(daemonSet.getMetadata().getUid());
              assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
              assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("agent");
            })
        .extracting(pod -> pod.getSpec().getNodeName())
        .containsExactlyInAnyOrder("node-1", "node-2");
  }

  @Test
  void foregroundDeletionKeepsTheOwnerUntilItsPodsHaveTerminated() {
    client.resource(daemonSet("agent")).create();
    await().atMost(BOUND).until(() -> pods().size() == 2);

    client
        .apps()
        .daemonSets()
        .inNamespace("apps")
        .withName("agent")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();

    await()
        .atMost(BOUND)
        .until(() -> pods().stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    DaemonSet terminating = client.apps().daemonSets().inNamespace("apps").withName("agent").get();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(terminating.getMetadata().getFinalizers()).contains("foregroundDeletion");

    simulator.finishTerminating(pod -> true);
    await()
        .atMost(BOUND)
        .until(
            () ->
                pods().isEmpty()
                    && client.apps().daemonSets().inNamespace("apps").withName("agent").get()
                        == null);
  }

  @Test
  void backgroundDeletionRemovesTheOwnerAtOnceAndItsPodsLater() {
    client.resource(daemonSet("agent")).create();
    await().atMost(BOUND).until(() -> pods().size() == 2);
    client
        .apps()
        .daemonSets()
        .inNamespace("apps")
        .withName("agent")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    assertThat(client.apps().daemonSets().inNamespace("apps").withName("agent").get()).isNull();
    await()
        .atMost(BOUND)
        .until(() -> pods().stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    simulator.terminatePodsAtOnce(true);
    await().atMost(BOUND).until(() -> pods().isEmpty());
  }

  @Test
  void theProbeRecordsWhetherThePodStillHadItsRbac() {
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("agent")
                .withNamespace("apps")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("agent")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "agent")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("agent")
                .withNamespace("apps")
                .endSubject()
                .build())
        .create();
    client.resource(daemonSet("agent")).create();
    await().atMost(BOUND).until(() -> pods().size() == 2);

    client.pods().inNamespace("apps").withName("agent-node-1").delete();
    simulator.finishTerminating(pod -> pod.getMetadata().getName().equals("agent-node-1"));
    client.rbac().clusterRoleBindings().withName("agent").delete();
    client.pods().inNamespace("apps").withName("agent-node-2").delete();
    simulator.finishTerminating(pod -> true);

    await().atMost(BOUND).until(() -> simulator.terminations().size() == 2);
    assertThat(simulator.terminations())
        .extracting(PodTermination::pod, PodTermination::sawItsRbac)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("agent-node-1", true),
            org.assertj.core.groups.Tuple.tuple("agent-node-2", false));
  }

  @Test
  void jobsCompleteOrFailWhenTheTestSays() {
    client
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("hook")
                .withNamespace("apps")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("i")
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    simulator.failJob("apps", "hook");
    var job = client.batch().v1().jobs().inNamespace("apps").withName("hook").get();
    assertThat(job.getStatus().getConditions())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getType() + "/" + c.getReason())
                    .isEqualTo("Failed/BackoffLimitExceeded"));
  }

  @Test
  void aStuckPodNeverFinishes() {
    simulator.neverStop("agent-node-2");
    client.resource(daemonSet("agent")).create();
    await().atMost(BOUND).until(() -> pods().size() == 2);
    client.pods().inNamespace("apps").delete();
    simulator.terminatePodsAtOnce(true);
    await().atMost(BOUND).until(() -> pods().size() == 1);
    assertThat(pods().get(0).getMetadata().getName()).isEqualTo("agent-node-2");
    assertThat(pods().get(0).getMetadata().getDeletionTimestamp()).isNotNull();
  }

  private java.util.List<io.fabric8.kubernetes.api.model.Pod> pods() {
    return client.pods().inNamespace("apps").list().getItems();
  }

  private static DaemonSet daemonSet(String name) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apps")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(name)
        .addNewContainer()
        .withName("c")
        .withImage("i")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
