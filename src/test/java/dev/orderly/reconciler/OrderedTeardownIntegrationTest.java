package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.sim.PodTermination;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The happy path: every phase in order, DaemonSet pods stop with their RBAC intact, finalizer last.
 */
class OrderedTeardownIntegrationTest {
  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void tearsDownInPhaseOrderAndNoPodLosesItsRbacWhileStopping() {
    scenario.install(release -> {});
    scenario.operatorManagedDaemonSet("agent-extra");

    scenario.delete();

    // 1. The pre-delete hook runs first; nothing of the chart is deleted while it runs.
    scenario.awaitRelease(
        r -> phase(r, TeardownPhase.PreDeleteHooks) && scenario.exists("Job", "agent-drain"));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();
    assertThat(deletes(scenario.requests(), p -> true)).isEmpty();
    scenario.simulator.completeJob(NS, "agent-drain");

    // 3. Both DaemonSets are being deleted in the foreground; their pods are terminating, and
    // every RBAC object is still there while they do.
    scenario.awaitRelease(r -> phase(r, TeardownPhase.DaemonSets));
    scenario.awaitPods("agent-", 4);
    org.awaitility.Awaitility.await()
        .atMost(OperatorHarness_TIMEOUT())
        .until(
            () ->
                scenario.harness.client().pods().inNamespace(NS).list().getItems().stream()
                    .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isTrue();
    assertThat(scenario.exists("ClusterRoleBinding", "agent-agent")).isTrue();
    assertThat(scenario.exists("Deployment", "agent-controller"))
        .as("workloads wait for DaemonSets")
        .isTrue();
    assertThat(scenario.steps(scenario.current()))
        .filteredOn(s -> s.getKind().equals("DaemonSet"))
        .extracting(s -> s.getName())
        .containsExactlyInAnyOrder("agent-agent", "agent-extra");

    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();

    List<PodTermination> terminations = scenario.simulator.terminations();
    assertThat(terminations)
        .hasSize(4)
        .allSatisfy(t -> assertThat(t.sawItsRbac()).as(t.pod()).isTrue());

    List<ApiRequest> journal = scenario.requests();
    int lastPodStopped =
        last(
            journal,
            r -> r.path().contains("/namespaces/" + NS + "/pods/") && !r.method().equals("GET"));
    int firstRbacDelete = first(journal, r -> r.method().equals("DELETE") && isRbac(r.path()));
    assertThat(firstRbacDelete)
        .as("no RBAC object was deleted while a DaemonSet pod existed")
        .isGreaterThan(lastPodStopped);

    assertThat(firstDelete(journal, "/daemonsets/"))
        .isLessThan(firstDelete(journal, "/deployments/"));
    assertThat(firstDelete(journal, "/deployments/"))
        .isLessThan(firstDelete(journal, "/configmaps/agent-config"));
    assertThat(firstDelete(journal, "/configmaps/agent-config")).isLessThan(firstRbacDelete);
    assertThat(firstDelete(journal, "/clusterrolebindings/"))
        .isLessThan(firstDelete(journal, "/serviceaccounts/"));
    int recordRemoved = firstDelete(journal, "/secrets/sh.helm.release.v1.agent.v1");
    assertThat(recordRemoved).isGreaterThan(firstDelete(journal, "/serviceaccounts/"));
    int finalizerRemoved =
        last(
            journal,
            r -> r.path().contains("/orderedreleases/" + NAME) && !r.method().equals("GET"));
    assertThat(finalizerRemoved).as("the finalizer went last").isGreaterThan(recordRemoved);

    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
    assertThat(scenario.eventReasons()).endsWith("TeardownComplete");
    for (String kind :
        List.of(
            "DaemonSet/agent-agent",
            "DaemonSet/agent-extra",
            "Deployment/agent-controller",
            "ConfigMap/agent-config",
            "ServiceAccount/agent-agent",
            "ClusterRole/agent-agent",
            "ClusterRoleBinding/agent-agent",
            "Job/agent-drain",
            "Secret/sh.helm.release.v1.agent.v1")) {
      String[] parts = kind.split("/");
      assertThat(scenario.exists(parts[0], parts[1])).as(kind + " is gone").isFalse();
    }
  }

  @Test
  void statusFollowsTheObjectsGenerationDuringDeletion() {
    scenario.install(release -> {});
    scenario.delete();
    // The pre-delete hook holds the teardown in its first phase until the Job completes.
    scenario.awaitRelease(
        r -> phase(r, TeardownPhase.PreDeleteHooks) && scenario.exists("Job", "agent-drain"));
    long before = scenario.current().getMetadata().getGeneration();

    // A spec change while the object is being deleted makes a new generation, as the API
    // server's own bump of the generation on deletion does on a real cluster.
    scenario
        .harness
        .client()
        .resources(dev.orderly.api.OrderedRelease.class)
        .inNamespace(NS)
        .withName(NAME)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"uninstall\":{\"hookTimeout\":\"6m\"}}}");

    var observed =
        scenario.awaitRelease(
            r ->
                r.getMetadata().getGeneration() > before
                    && r.getMetadata()
                        .getGeneration()
                        .equals(r.getStatus().getObservedGeneration()));
    assertThat(observed.getStatus().getConditions())
        .isNotEmpty()
        .allSatisfy(
            c ->
                assertThat(c.getObservedGeneration())
                    .as(c.getType())
                    .isEqualTo(observed.getMetadata().getGeneration()));

    scenario.simulator.completeJob(NS, "agent-drain");
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();
  }

  static boolean phase(dev.orderly.api.OrderedRelease release, TeardownPhase phase) {
    return release.getStatus() != null
        && release.getStatus().getTeardown() != null
        && release.getStatus().getTeardown().getPhase() == phase;
  }

  static java.time.Duration OperatorHarness_TIMEOUT() {
    return dev.orderly.testsupport.OperatorHarness.TIMEOUT;
  }

  static boolean isRbac(String path) {
    return path.contains("/rbac.authorization.k8s.io/") || path.contains("/serviceaccounts/");
  }

  static List<ApiRequest> deletes(List<ApiRequest> journal, Predicate<String> path) {
    return journal.stream()
        .filter(r -> r.method().equals("DELETE") && path.test(r.path()))
        .filter(r -> !r.path().contains("/orderedreleases/"))
        .toList();
  }

  static int firstDelete(List<ApiRequest> journal, String fragment) {
    return first(journal, r -> r.method().equals("DELETE") && r.path().contains(fragment));
  }

  static int first(List<ApiRequest> journal, Predicate<ApiRequest> which) {
    OptionalInt index =
        IntStream.range(0, journal.size()).filter(i -> which.test(journal.get(i))).findFirst();
    return index.orElseThrow(() -> new AssertionError("no request matched"));
  }

  static int last(List<ApiRequest> journal, Predicate<ApiRequest> which) {
    OptionalInt index =
        IntStream.range(0, journal.size())
            .filter(i -> which.test(journal.get(i)))
            .reduce((a, b) -> b);
    return index.orElseThrow(() -> new AssertionError("no request matched"));
  }
}
