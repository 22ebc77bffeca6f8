package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Progress within a phase is written to status at most about once a second, and the latest progress
 * is written all the same.
 */
class StatusPacingIntegrationTest {
  private static final Path LARGE = Path.of("src/test/resources/charts/large-teardown");
  private static final String THREE_DEPLOYMENTS =
      "{\"deployments\": 3, \"configMaps\": 0, \"secrets\": 0, \"services\": 0,"
          + " \"serviceAccounts\": 0, \"roles\": 0, \"roleBindings\": 0,"
          + " \"preDeleteHooks\": 0, \"postDeleteHooks\": 0, \"hookLines\": 1}";

  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  void objectsGoneInQuickSuccessionAreOneStatusWriteAndTheLastOneStillShows() {
    scenario = new TeardownScenario();
    scenario.installChart(
        LARGE.toAbsolutePath(),
        r -> {
          r.getSpec().getInstall().setWait(false);
          r.getSpec().setValues(Releases.json(THREE_DEPLOYMENTS));
        },
        OperatorHarness.TIMEOUT);
    List<Deployment> workers =
        scenario.harness.client().apps().deployments().inNamespace(NS).list().getItems();
    assertThat(workers).hasSize(3);
    workers.forEach(scenario::hold);
    int mark = scenario.requests().size();
    long start = System.nanoTime();

    scenario.delete();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(() -> workers.stream().allMatch(this::terminating));
    scenario.release(workers.get(0));
    scenario.release(workers.get(1));
    String last = "Deployment " + NS + "/" + workers.get(2).getMetadata().getName();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                condition(scenario.current(), "Reconciling")
                    .map(c -> c.getMessage().endsWith("waiting for " + last + " to be gone"))
                    .orElse(false));
    scenario.release(workers.get(2));
    Duration phase = Duration.ofNanos(System.nanoTime() - start);
    scenario.awaitGone();

    List<JsonNode> workloads =
        TeardownScenario.statusWrites(scenario.requests().subList(mark, scenario.requests().size()))
            .stream()
            .filter(s -> s.path("teardown").path("phase").asText().equals("Workloads"))
            .toList();
    // Unpaced, at least three: the phase's first write, the end of that look naming all three,
    // and the one naming only the last (awaited above). Paced, the end of that first look is held
    // and two remain; a third only if the phase lasted past the pace twice over (a slow machine),
    // so the held write came due before the first two were released.
    int allowed = phase.toMillis() < 2 * StatusPacing.EVERY.toMillis() ? 2 : 3;
    assertThat(workloads)
        .as("status writes of a phase that lasted %d ms", phase.toMillis())
        .hasSizeLessThanOrEqualTo(allowed);
  }

  private boolean terminating(Deployment deployment) {
    Deployment now = scenario.harness.client().resource(deployment).get();
    return now != null && now.getMetadata().getDeletionTimestamp() != null;
  }
}
