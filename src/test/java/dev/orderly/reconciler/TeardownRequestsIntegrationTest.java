package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.kube.TeardownLedgerStore;
import dev.orderly.teardown.TeardownLedger;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the operator sends to tear down one release of the benchmark chart (3 pre-delete
 * hooks, 2 DaemonSets on 3 nodes, 20 other objects), counted by verb and resource: what it writes
 * is pinned, so a write for nothing shows up here. The test's and the simulator's own requests
 * carry a tag and are left out. Reads of the objects being torn down (observation) are printed but
 * not pinned.
 */
class TeardownRequestsIntegrationTest {
  private static final Path CHART = Path.of("src/test/resources/charts/bench").toAbsolutePath();
  private static final String NS = "requests";
  private static final String NAME = "bench";
  private static final String RELEASES = "/orderedreleases/" + NAME;
  private static final String LEDGER =
      "/api/v1/namespaces/" + NS + "/secrets/" + TeardownLedger.secretName(NAME);
  private static final List<String> HOOKS =
      List.of("bench-hook", "bench-hook-script", "bench-drain");
  // 2 DaemonSets and 20 others (Deployments, Services, ConfigMaps, Secrets, RBAC).
  private static final int OBJECTS = 22;
  private static final int PHASES = TeardownPhase.values().length - 1;

  private OperatorHarness harness;
  private KubernetesClient test;
  private ClusterSimulator simulator;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
    test = harness.server().taggedClient("test");
    simulator = new ClusterSimulator(harness.server().taggedClient("simulator"), 3).start();
    simulator.completeJobsAutomatically(true);
    simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    simulator.close();
    harness.close();
  }

  @Test
  void oneTeardownWritesEachThingOnceAndMeetsNoConflict() {
    test.resource(Releases.ofChart(NS, NAME, CHART)).create();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> hasCondition(current(), "Ready", "True", null));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> test.pods().inNamespace(NS).list().getItems().size() == 6);
    long looksBefore = looks();
    int mark = harness.server().requests().size();

    test.resources(OrderedRelease.class).inNamespace(NS).withName(NAME).delete();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> current() == null);

    long looks = looks() - looksBefore;
    List<ApiRequest> all = harness.server().requests();
    List<ApiRequest> sent =
        all.subList(mark, all.size()).stream()
            .filter(r -> !TestApiServer.fromTaggedClient(r))
            .toList();
    System.out.println(table(sent, looks));

    assertThat(sent)
        .as("no request of the teardown meets a conflict or a patch that does not apply")
        .noneMatch(r -> r.status() == 409 || r.status() == 422);

    // The finalizer: one JSON patch, tested and removed at its index, nothing read first.
    assertThat(sent).filteredOn(on(RELEASES, "GET")).isEmpty();
    List<ApiRequest> finalizer =
        sent.stream().filter(on(RELEASES, "PATCH")).filter(r -> r.status() == 200).toList();
    assertThat(finalizer).hasSize(1);
    assertThat(finalizer.get(0).contentType()).startsWith("application/json-patch+json");
    assertThat(finalizer.get(0).body())
        .contains("\"op\":\"test\"", "\"op\":\"remove\"", OrderedRelease.FINALIZER)
        .doesNotContain("resourceVersion");
    // A late look at the object as the cache still held it may try once more: it is gone then.
    assertThat(sent)
        .filteredOn(on(RELEASES, "PATCH"))
        .filteredOn(r -> r.status() != 200)
        .allMatch(r -> r.status() == 404);

    // Status: written when it changed, at the end of a look or with the first intent of a phase
    // it does not show yet; never with every intent.
    List<ApiRequest> statusWrites = sent.stream().filter(on(RELEASES + "/status", "PUT")).toList();
    List<String> phases =
        statusWrites.stream()
            .map(r -> Serialization.unmarshal(r.body(), OrderedRelease.class))
            .map(r -> r.getStatus().getTeardown().getPhase().name())
            .toList();
    assertThat(statusWrites)
        .hasSizeLessThanOrEqualTo((int) looks + (int) phases.stream().distinct().count());
    for (int i = 1; i < statusWrites.size(); i++) {
      assertThat(statusWrites.get(i).body())
          .as("status write %d changes something", i)
          .isNotEqualTo(statusWrites.get(i - 1).body());
    }

    // The ledger: created once, read only by the first look, never written Done, deleted once.
    assertThat(sent).filteredOn(on(LEDGER, "GET")).hasSize(1);
    assertThat(sent)
        .filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/secrets"))
        .filteredOn(r -> r.body().contains(TeardownLedger.secretName(NAME)))
        .hasSize(1);
    assertThat(sent)
        .filteredOn(on(LEDGER, "PUT"))
        .allSatisfy(
            r ->
                assertThat(
                        TeardownLedgerStore.decode(Serialization.unmarshal(r.body(), Secret.class))
                            .getPhase())
                    .isNotEqualTo(TeardownPhase.Done));
    assertThat(sent).filteredOn(on(LEDGER, "DELETE")).hasSize(1);

    // Hooks created once each; every object, hook and record deleted once, and nothing twice.
    List<String> created =
        sent.stream()
            .filter(r -> r.method().equals("POST") && !r.path().endsWith("/events"))
            .filter(r -> !r.body().contains(TeardownLedger.secretName(NAME)))
            .map(r -> Serialization.unmarshal(r.body(), Event.class).getMetadata().getName())
            .toList();
    assertThat(created).containsExactlyInAnyOrderElementsOf(HOOKS);
    List<String> deleted =
        sent.stream().filter(r -> r.method().equals("DELETE")).map(ApiRequest::path).toList();
    assertThat(deleted).doesNotHaveDuplicates().hasSize(OBJECTS + HOOKS.size() + 1 + 1);

    // Events: one per phase started, one per hook run (the benchmark times hooks by them), one
    // at the end; nothing else in a teardown that goes well.
    Map<String, Long> reasons =
        sent.stream()
            .filter(r -> r.method().equals("POST") && r.path().endsWith("/events"))
            .map(r -> Serialization.unmarshal(r.body(), Event.class).getReason())
            .collect(Collectors.groupingBy(reason -> reason, TreeMap::new, Collectors.counting()));
    assertThat(reasons)
        .isEqualTo(
            Map.of(
                "TeardownPhaseStarted", (long) PHASES,
                "TeardownInProgress", (long) HOOKS.size(),
                "TeardownComplete", 1L));
  }

  private static Predicate<ApiRequest> on(String pathEnd, String... methods) {
    return r -> {
      int query = r.path().indexOf('?');
      String path = query < 0 ? r.path() : r.path().substring(0, query);
      return path.endsWith(pathEnd) && List.of(methods).contains(r.method());
    };
  }

  /** The requests by verb, resource and answer, as the report quotes them. */
  private static String table(List<ApiRequest> sent, long looks) {
    Map<String, Long> counts =
        sent.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.verbAndResource() + " -> " + r.status(),
                    TreeMap::new,
                    Collectors.counting()));
    StringBuilder text =
        new StringBuilder("one teardown: " + sent.size() + " requests in " + looks + " looks\n");
    counts.forEach((what, count) -> text.append(String.format("%4d  %s%n", count, what)));
    return text.toString();
  }

  private long looks() {
    return harness
        .operator()
        .metrics()
        .registry()
        .counterValue("orderly_reconciliations_started_total");
  }

  private OrderedRelease current() {
    return test.resources(OrderedRelease.class).inNamespace(NS).withName(NAME).get();
  }
}
