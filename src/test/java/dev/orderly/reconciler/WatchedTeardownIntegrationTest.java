package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.TeardownPhase;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A teardown observes from informer caches started for what it waits on, whatever the kind, and
 * goes on when they change: the node-agent example on the test API server.
 */
class WatchedTeardownIntegrationTest {
  /**
   * Well below the safety-net recheck of a phase whose every object is watched: a phase that ends
   * within it ended on the change, not on a recheck.
   */
  private static final Duration WELL_BEFORE_THE_SAFETY_NET =
      dev.orderly.teardown.PhaseDecider.SAFETY_NET.minusSeconds(5);

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.completeJobsAutomatically(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aConfigMapHeldByAFinalizerEndsItsPhaseWhenReleasedWithoutBeingReadEachLook() {
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.install(release -> {});
    ConfigMap config =
        scenario.harness.client().configMaps().inNamespace(NS).withName("agent-config").get();
    scenario.hold(config);

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.ConfigAndNetwork));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> configMap().getMetadata().getDeletionTimestamp() != null);
    int waitingFrom = scenario.requests().size();
    lookAgain(3);
    assertThat(phase(scenario.current(), TeardownPhase.ConfigAndNetwork))
        .as("held by its finalizer")
        .isTrue();

    scenario.release(config); // one GET and one PATCH of the test's own
    await()
        .atMost(WELL_BEFORE_THE_SAFETY_NET)
        .until(() -> scenario.announcedPhases().contains("Rbac"));
    scenario.awaitGone();

    List<ApiRequest> since = scenario.requests().subList(waitingFrom, scenario.requests().size());
    assertThat(reads(since, "/namespaces/" + NS + "/configmaps/agent-config"))
        .as("the looks while it waited read it from the cache; only the test's own GET")
        .hasSize(1);
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
    assertThat(scenario.eventReasons()).endsWith("TeardownComplete");
  }

  @Test
  void aDaemonSetWhosePodsAreStillStoppingIsNotReadFromTheApiServerOnEachLook() {
    scenario.install(release -> {});

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.DaemonSets));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                !scenario.harness.client().pods().inNamespace(NS).list().getItems().isEmpty()
                    && scenario.harness.client().pods().inNamespace(NS).list().getItems().stream()
                        .filter(p -> p.getMetadata().getName().startsWith("agent-agent"))
                        .allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    int waitingFrom = scenario.requests().size();
    lookAgain(3);
    assertThat(phase(scenario.current(), TeardownPhase.DaemonSets))
        .as("its pods are still stopping")
        .isTrue();
    List<ApiRequest> whileWaiting =
        List.copyOf(scenario.requests().subList(waitingFrom, scenario.requests().size()));

    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();

    assertThat(reads(whileWaiting, "/daemonsets/agent-agent"))
        .as("the DaemonSet comes from the cache on every look")
        .isEmpty();
    assertThat(whileWaiting)
        .as("nor are its pods or the namespace's DaemonSets listed")
        .noneMatch(r -> r.method().equals("GET") && isList(r.path(), "/namespaces/" + NS + "/pods"))
        .noneMatch(
            r -> r.method().equals("GET") && isList(r.path(), "/namespaces/" + NS + "/daemonsets"));
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
  }

  @Test
  void theWatchesATeardownStartedStopWhenItEnds() {
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.install(release -> {});
    assertThat(scenario.harness.operator().watchingOnDemand())
        .as("a Ready release watches nothing")
        .isEmpty();
    ConfigMap config = configMap();
    scenario.hold(config);

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.ConfigAndNetwork));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(scenario.harness.operator().watchingOnDemand())
                    .contains("ConfigMap/" + NS)
                    .doesNotContain("Deployment/" + NS, "Job/" + NS));

    scenario.release(config);
    scenario.awaitGone();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> scenario.harness.operator().watchingOnDemand().isEmpty());
  }

  @Test
  void aReleaseWhoseFinalizerIsRemovedByHandLeavesNothingWatched() {
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.install(release -> {});
    scenario.hold(configMap());

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.ConfigAndNetwork));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> !scenario.harness.operator().watchingOnDemand().isEmpty());
    scenario
        .harness
        .client()
        .resources(dev.orderly.api.OrderedRelease.class)
        .inNamespace(NS)
        .withName(TeardownScenario.NAME)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"finalizers\":null}}");

    await().atMost(OperatorHarness.TIMEOUT).until(() -> scenario.current() == null);
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> scenario.harness.operator().watchingOnDemand().isEmpty());
  }

  /** Wakes the operator {@code times} times, each time waiting until it has looked. */
  private void lookAgain(int times) {
    var registry = scenario.harness.operator().metrics().registry();
    for (int i = 0; i < times; i++) {
      long before = registry.counterValue("orderly_reconciliations_started_total");
      scenario.poke();
      await()
          .atMost(OperatorHarness.TIMEOUT)
          .until(() -> registry.counterValue("orderly_reconciliations_started_total") > before);
    }
  }

  private ConfigMap configMap() {
    return scenario.harness.client().configMaps().inNamespace(NS).withName("agent-config").get();
  }

  private static List<ApiRequest> reads(List<ApiRequest> requests, String path) {
    return requests.stream()
        .filter(r -> r.method().equals("GET"))
        .filter(r -> r.path().split("\\?")[0].endsWith(path))
        .toList();
  }

  // A list (or watch) of a kind in a namespace, not one object of it; informers' own watches
  // carry watch=true and are left out.
  private static boolean isList(String path, String kind) {
    String bare = path.split("\\?")[0];
    return bare.endsWith(kind) && !path.contains("watch=true");
  }
}
