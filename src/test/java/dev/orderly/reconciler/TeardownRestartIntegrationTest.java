package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.TeardownPhase;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator stops in the middle of each phase; a new one resumes from status, order intact. */
class TeardownRestartIntegrationTest {
  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    scenario.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = TeardownPhase.class,
      names = {"PreDeleteHooks", "DaemonSets", "Workloads", "ConfigAndNetwork", "Rbac"})
  void aRestartInThePhaseResumesWithoutRepeatingAnything(TeardownPhase phase) {
    scenario = new TeardownScenario();
    scenario.install(release -> {});
    var client = scenario.harness.client();
    HasMetadata held =
        switch (phase) {
          case Workloads ->
              client.apps().deployments().inNamespace(NS).withName("agent-controller").get();
          case ConfigAndNetwork ->
              client.configMaps().inNamespace(NS).withName("agent-config").get();
          case Rbac -> client.serviceAccounts().inNamespace(NS).withName("agent-agent").get();
          default -> null;
        };
    if (held != null) {
      scenario.hold(held);
    }
    scenario.simulator.completeJobsAutomatically(phase != TeardownPhase.PreDeleteHooks);
    scenario.simulator.terminatePodsAtOnce(phase != TeardownPhase.DaemonSets);

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, phase) && waiting(r, phase));

    scenario.harness.stopOperator();
    scenario.harness.startOperator();
    if (held != null) {
      scenario.release(held);
    }
    scenario.simulator.terminatePodsAtOnce(true);
    if (phase == TeardownPhase.PreDeleteHooks) {
      scenario.simulator.completeJob(NS, "agent-drain");
    }
    scenario.awaitGone();

    List<ApiRequest> journal = scenario.requests();
    assertThat(count(journal, "POST", "/jobs")).as("the hook ran once").isEqualTo(1);
    // Helm's own uninstall in the Release phase deletes the manifest again (404s, background
    // propagation); count the operator's deletes, which are all foreground.
    Map<String, Long> deletes =
        journal.stream()
            .filter(r -> r.method().equals("DELETE") && r.body().contains("Foreground"))
            .collect(
                Collectors.groupingBy(
                    r -> r.path().replaceAll("\\?.*", ""), Collectors.counting()));
    assertThat(deletes)
        .as("nothing was deleted twice")
        .allSatisfy((path, times) -> assertThat(times).as(path).isEqualTo(1));
    assertThat(firstDelete(journal, "/daemonsets/"))
        .isLessThan(firstDelete(journal, "/deployments/"));
    assertThat(firstDelete(journal, "/deployments/"))
        .isLessThan(firstDelete(journal, "/configmaps/agent-config"));
    assertThat(firstDelete(journal, "/configmaps/agent-config"))
        .isLessThan(firstDelete(journal, "/clusterrolebindings/"));
    assertThat(firstDelete(journal, "/serviceaccounts/"))
        .isLessThan(firstDelete(journal, "/secrets/sh.helm.release.v1.agent.v1"));
    assertThat(scenario.simulator.terminations())
        .allSatisfy(t -> assertThat(t.sawItsRbac()).isTrue());
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
  }

  /** The phase is under way and waiting on what the test holds back. */
  private boolean waiting(dev.orderly.api.OrderedRelease release, TeardownPhase phase) {
    return scenario.steps(release).stream()
        .filter(s -> s.getPhase() == phase)
        .anyMatch(s -> s.getState() == dev.orderly.api.TeardownStep.State.InProgress);
  }

  private static long count(List<ApiRequest> journal, String method, String fragment) {
    return journal.stream()
        .filter(r -> r.method().equals(method) && r.path().contains(fragment))
        .count();
  }

  static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
    await().atMost(OperatorHarness.TIMEOUT).until(condition);
  }
}
