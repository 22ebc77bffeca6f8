package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.teardown.TeardownLedger;
import dev.orderly.testsupport.ApiRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Status stays small whatever the chart's size: a chart of 2,000 objects and six hooks of about 100
 * KiB is torn down with its steps in the ledger Secret, and every status the operator writes is
 * under the bound. A restart reads the steps back from the ledger. Where the ledger cannot be
 * created (the namespace is being deleted) the steps stay in status, as status says.
 */
class TeardownLedgerIntegrationTest {
  private static final Path LARGE = Path.of("src/test/resources/charts/large-teardown");

  /** What the whole status may serialise to; status.teardown alone is held to 16 KiB. */
  private static final int MAX_STATUS_BYTES = 24 * 1024;

  private static final String LEDGER = TeardownLedger.secretName(NAME);
  private static final String LEDGER_PATH = "/api/v1/namespaces/" + NS + "/secrets/" + LEDGER;

  // 2,000 objects take a while on a loaded machine: about 30 s to install and 45 s to tear down
  // with two cores busy elsewhere.
  private static final Duration LARGE_TIMEOUT = Duration.ofMinutes(4);

  private static final String RESTART_VALUES =
      "{\"configMaps\": 100, \"secrets\": 0, \"services\": 50, \"serviceAccounts\": 50,"
          + " \"roles\": 50, \"roleBindings\": 50}";

  private static final String SMALL_VALUES =
      "{\"deployments\": 1, \"configMaps\": 3, \"secrets\": 2, \"services\": 1,"
          + " \"serviceAccounts\": 1, \"roles\": 1, \"roleBindings\": 1,"
          + " \"preDeleteHooks\": 1, \"postDeleteHooks\": 1, \"hookLines\": 3}";

  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aTwoThousandObjectTeardownKeepsEveryStatusWriteUnderTheBound() {
    scenario = new TeardownScenario();
    scenario.installChart(
        LARGE.toAbsolutePath(), r -> r.getSpec().getInstall().setWait(false), LARGE_TIMEOUT);
    int requestsBefore = scenario.requests().size();

    scenario.delete();
    scenario.awaitGone(LARGE_TIMEOUT);

    List<ApiRequest> journal =
        scenario.requests().subList(requestsBefore, scenario.requests().size());
    List<JsonNode> writes = TeardownScenario.statusWrites(journal);
    assertThat(writes).as("status writes of the teardown").hasSizeGreaterThan(5);
    for (JsonNode status : writes) {
      assertThat(bytes(status)).as("the whole status").isLessThan(MAX_STATUS_BYTES);
      JsonNode teardown = status.path("teardown");
      assertThat(bytes(teardown))
          .as("status.teardown")
          .isLessThanOrEqualTo(TeardownLedger.MAX_SUMMARY_BYTES);
      assertThat(teardown.path("steps")).as("no step is kept in status").isEmpty();
      assertThat(teardown.path("ledger").asText()).isEqualTo(LEDGER);
    }
    JsonNode first = writes.get(0).path("teardown");
    int total = 0;
    for (JsonNode count : first.path("stepCounts")) {
      total += count.asInt();
    }
    assertThat(total).as("2,000 objects, 6 hooks and the release").isGreaterThan(2006);
    assertThat(
            writes.stream()
                .map(w -> w.path("teardown"))
                .filter(t -> t.path("unfinishedNotShown").asInt() > 0))
        .as("some phase had more unfinished steps than status names")
        .isNotEmpty();

    // The ledger is written before the status that refers to it, and removed at the end.
    int ledgerCreated = indexOf(journal, "POST", "/api/v1/namespaces/" + NS + "/secrets");
    int firstStatus = indexOf(journal, "PUT", "/orderedreleases/" + NAME + "/status");
    assertThat(ledgerCreated).isNotNegative().isLessThan(firstStatus);
    assertThat(journal.get(ledgerCreated).body()).contains(LEDGER);
    assertThat(indexOf(journal, "DELETE", LEDGER_PATH)).isPositive();
    assertThat(scenario.harness.client().secrets().inNamespace(NS).withName(LEDGER).get()).isNull();

    for (String hook : hooks()) {
      assertThat(hookCreations(journal, hook)).as(hook + " ran once").isEqualTo(1);
    }
    assertThat(scenario.harness.client().configMaps().inNamespace(NS).list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .as("only the hooks, which have no delete policy, are left")
        .allMatch(name -> name.contains("-delete-"));
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
  }

  /**
   * With {@code statusBehind}, status is also rolled back to before the teardown began, as if the
   * operator had died between writing the ledger and the status naming it: the ledger is the truth.
   */
  @ParameterizedTest(name = "status behind the ledger: {0}")
  @ValueSource(booleans = {false, true})
  void aRestartMidTeardownContinuesFromTheLedgerWithoutRunningAHookAgain(boolean statusBehind) {
    scenario = new TeardownScenario();
    // Fewer objects than above, none of them Secrets: a restarted operator lists every Secret
    // when its informers start, and the test API server answers a list of 400 too slowly on a
    // busy machine. Still more steps than status names, and the same hooks.
    scenario.installChart(
        LARGE.toAbsolutePath(),
        r -> {
          r.getSpec().getInstall().setWait(false);
          r.getSpec().setValues(Releases.json(RESTART_VALUES));
        },
        LARGE_TIMEOUT);
    ConfigMap held =
        scenario.harness.client().configMaps().inNamespace(NS).withName(NAME + "-config-7").get();
    scenario.hold(held);

    scenario.delete();
    await()
        .atMost(LARGE_TIMEOUT)
        .until(
            () ->
                phase(scenario.current(), TeardownPhase.ConfigAndNetwork)
                    && waitingOnHeld(scenario.current()));
    assertThat(scenario.current().getStatus().getTeardown().getSteps())
        .as("status alone does not have the steps")
        .isEmpty();

    scenario.harness.stopOperator();
    if (statusBehind) {
      scenario
          .harness
          .client()
          .resources(dev.orderly.api.OrderedRelease.class)
          .inNamespace(NS)
          .withName(NAME)
          .editStatus(
              r -> {
                r.getStatus().setTeardown(null);
                return r;
              });
      assertThat(scenario.current().getStatus().getTeardown()).isNull();
    }
    int restartedAt = scenario.requests().size();
    scenario.harness.startOperator();
    scenario.release(held);
    scenario.awaitGone(LARGE_TIMEOUT);

    List<ApiRequest> journal = scenario.requests();
    List<ApiRequest> afterRestart = journal.subList(restartedAt, journal.size());
    assertThat(indexOf(afterRestart, "GET", LEDGER_PATH))
        .as("the new operator read the ledger")
        .isNotNegative();
    for (String hook : hooks()) {
      assertThat(hookCreations(journal, hook)).as(hook + " ran once").isEqualTo(1);
    }
    assertThat(afterRestart.stream().filter(r -> operatorDelete(r) && r.path().contains("/roles/")))
        .as("the phases after the restart still ran")
        .hasSize(50);
    assertThat(
            afterRestart.stream()
                .filter(r -> operatorDelete(r) && r.path().contains("/deployments/")))
        .as("the phases before the restart were not run again")
        .isEmpty();
  }

  @Test
  void aLostLedgerIsPlannedAgainWithoutRunningAHookTwice() {
    var held = stoppedInWorkloads();
    scenario.harness.client().secrets().inNamespace(NS).withName(LEDGER).delete();
    scenario.harness.startOperator();
    scenario.release(held.get());
    scenario.awaitGone();

    assertThat(scenario.eventReasons()).contains("TeardownLedgerLost");
    assertThat(
            scenario.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/jobs")))
        .as("the pre-delete hook ran once")
        .hasSize(1);
    assertThat(scenario.exists("ConfigMap", "agent-config")).isFalse();
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isFalse();
    assertThat(scenario.announcedPhases()).endsWith("Release", "PostDeleteHooks", "Namespaces");
  }

  @Test
  void anUnreadableLedgerStallsWithoutLosingItAndDeletingItReplans() {
    var held = stoppedInWorkloads();
    String garbage =
        Base64.getEncoder().encodeToString(TeardownLedger.compress("{\"phase\": [oops"));
    scenario
        .harness
        .client()
        .secrets()
        .inNamespace(NS)
        .withName(LEDGER)
        .edit(
            ledger -> {
              ledger.getData().put(TeardownLedger.DATA_KEY, garbage);
              return ledger;
            });
    scenario.harness.startOperator();

    OrderedRelease stalled =
        scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "TeardownLedgerUnreadable"));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains(LEDGER + " cannot be read")
        .contains("delete that Secret");
    assertThat(stalled.getStatus().getTeardown().getLedger())
        .as("status still names the ledger, so deleting it re-plans")
        .isEqualTo(LEDGER);
    assertThat(
            scenario
                .harness
                .client()
                .secrets()
                .inNamespace(NS)
                .withName(LEDGER)
                .get()
                .getData()
                .get(TeardownLedger.DATA_KEY))
        .as("the ledger is left as it was, not overwritten with no steps")
        .isEqualTo(garbage);
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isTrue();

    scenario.harness.client().secrets().inNamespace(NS).withName(LEDGER).delete();
    scenario.release(held.get());
    scenario.awaitGone();
    assertThat(scenario.eventReasons()).contains("TeardownLedgerUnreadable", "TeardownLedgerLost");
    assertThat(
            scenario.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/jobs")))
        .as("the pre-delete hook ran once")
        .hasSize(1);
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isFalse();
  }

  /**
   * Installs the node-agent chart, deletes it, and stops the operator in Workloads, where a held
   * Deployment keeps it; answers that Deployment, to be released once the test has meddled.
   */
  private Resource<Deployment> stoppedInWorkloads() {
    scenario = new TeardownScenario();
    scenario.install(r -> {});
    var held =
        scenario.harness.client().apps().deployments().inNamespace(NS).withName("agent-controller");
    scenario.hold(held.get());
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.Workloads));
    scenario.harness.stopOperator();
    return held;
  }

  @Test
  void inANamespaceBeingDeletedTheStepsStayInStatusAndStatusSaysWhy() {
    scenario = new TeardownScenario();
    scenario
        .harness
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NS)
                .withFinalizers(TeardownScenario.HOLD)
                .endMetadata()
                .build())
        .create();
    // A chart without DaemonSets: the cluster simulator's pods do not go in a namespace being
    // deleted.
    scenario.installChart(
        LARGE.toAbsolutePath(),
        r -> {
          r.getSpec().getInstall().setWait(false);
          r.getSpec().setValues(Releases.json(SMALL_VALUES));
        },
        LARGE_TIMEOUT);
    scenario.harness.client().namespaces().withName(NS).delete();
    Namespace terminating = scenario.harness.client().namespaces().withName(NS).get();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    int requestsBefore = scenario.requests().size();

    scenario.delete();
    scenario.awaitGone();

    List<ApiRequest> journal =
        scenario.requests().subList(requestsBefore, scenario.requests().size());
    assertThat(
            journal.stream()
                .filter(
                    r ->
                        r.method().equals("POST")
                            && r.path().startsWith("/api/v1/namespaces/" + NS + "/secrets")
                            && r.body().contains(LEDGER)))
        .as("the ledger was tried once, refused, and not tried again")
        .hasSize(1);
    List<JsonNode> writes = TeardownScenario.statusWrites(journal);
    assertThat(writes).isNotEmpty();
    for (JsonNode status : writes) {
      JsonNode teardown = status.path("teardown");
      assertThat(teardown.path("stepsNote").asText())
          .isEqualTo(StatusWrites.NAMESPACE_TERMINATING_NOTE);
      assertThat(teardown.has("ledger")).isFalse();
      assertThat(teardown.path("steps").size()).as("every step is in status").isGreaterThan(5);
    }
    assertThat(
            writes.get(writes.size() - 1).path("teardown").path("steps").findValuesAsText("state"))
        .as("the last save holds every step's outcome")
        .doesNotContain(TeardownStep.State.Pending.name());
  }

  // Helm's own uninstall in the Release phase deletes the manifest again, in the background; the
  // operator's deletes are all foreground.
  private static boolean operatorDelete(ApiRequest request) {
    return request.method().equals("DELETE") && request.body().contains("Foreground");
  }

  /** The held ConfigMap is being deleted and the teardown waits for it. */
  private boolean waitingOnHeld(dev.orderly.api.OrderedRelease release) {
    return scenario.steps(release).stream()
        .anyMatch(
            s ->
                (NAME + "-config-7").equals(s.getName())
                    && s.getState() == TeardownStep.State.InProgress);
  }

  private static List<String> hooks() {
    return IntStream.range(0, 6)
        .mapToObj(i -> NAME + (i < 4 ? "-pre-delete-" + i : "-post-delete-" + (i - 4)))
        .toList();
  }

  private static long hookCreations(List<ApiRequest> journal, String hook) {
    return journal.stream()
        .filter(
            r ->
                r.method().equals("POST")
                    && r.path().startsWith("/api/v1/namespaces/" + NS + "/configmaps")
                    && r.body().contains("\"name\":\"" + hook + "\""))
        .count();
  }

  /** The status of every status write of the OrderedRelease, in order. */
  private static int indexOf(List<ApiRequest> journal, String method, String pathPart) {
    for (int i = 0; i < journal.size(); i++) {
      ApiRequest r = journal.get(i);
      if (r.method().equals(method) && r.path().replaceAll("\\?.*", "").endsWith(pathPart)) {
        return i;
      }
    }
    return -1;
  }

  private static int bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
