package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.first;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy-and-weights example: a misspelt resource policy is installed and kept as Helm would,
 * and 64-bit hook weights run in numeric order.
 */
class PolicyAndWeightsIntegrationTest {
  private static final Path CHART = Path.of("charts/examples/policy-and-weights").toAbsolutePath();

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aMisspeltPolicyKeepsTheObjectAndHugeWeightsRunInOrder() {
    OrderedRelease ready = scenario.installChart(CHART, r -> {});
    assertThat(hasCondition(ready, "HooksValid", "True", null))
        .as("a resource policy finding does not stop the install")
        .isTrue();
    Deployment ledger =
        scenario
            .harness
            .client()
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("agent-ledger")
            .get();
    scenario.hold(ledger);

    scenario.delete();
    OrderedRelease inWorkloads = scenario.awaitRelease(r -> phase(r, TeardownPhase.Workloads));
    assertThat(scenario.steps(inWorkloads))
        .filteredOn(TeardownStep::isHook)
        .extracting(TeardownStep::getName, TeardownStep::getWeight, TeardownStep::getState)
        .containsExactly(
            tuple("agent-maintenance", -3_000_000_000L, TeardownStep.State.Done),
            tuple("agent-flush", 1L, TeardownStep.State.Done),
            tuple("agent-archive", 3_000_000_000L, TeardownStep.State.Done));
    scenario.release(ledger);
    scenario.awaitGone();

    var journal = scenario.requests();
    int maintenance = created(journal, "/configmaps", "agent-maintenance");
    int flush = created(journal, "/jobs", "agent-flush");
    int archive = created(journal, "/jobs", "agent-archive");
    assertThat(maintenance).isLessThan(flush);
    assertThat(flush).as("3000000000 runs after 1").isLessThan(archive);
    assertThat(scenario.exists("ConfigMap", "agent-ledger-state"))
        .as("helm.sh/resource-policy: kepp keeps it, as in Helm")
        .isTrue();
    assertThat(scenario.exists("Secret", "agent-ledger-key")).isTrue();
    assertThat(scenario.exists("Deployment", "agent-ledger")).isFalse();
  }

  private static int created(
      java.util.List<dev.orderly.testsupport.ApiRequest> journal, String collection, String name) {
    return first(
        journal,
        r ->
            r.method().equals("POST")
                && r.path().startsWith("/api")
                && r.path().contains(collection)
                && r.body().contains("\"" + name + "\""));
  }
}
