package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks and APIServices go in the Admission phase, before their backends start to stop: the
 * webhook-backend and aggregated-api examples on the test API server.
 */
class AdmissionTeardownIntegrationTest {
  private static final Path EXAMPLES = Path.of("charts/examples").toAbsolutePath();

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void theWebhookIsGoneBeforeItsSlowBackendStartsToStop() {
    scenario.installChart(EXAMPLES.resolve("webhook-backend"), r -> {});
    // The backend's 300 s grace period: its Deployment stays until the test lets it go.
    Deployment backend = deployment("agent-backend");
    scenario.hold(backend);

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.Workloads));
    assertThat(webhookExists()).as("gone while the backend is still stopping").isFalse();
    assertThat(deployment("agent-backend").getMetadata().getDeletionTimestamp()).isNotNull();
    scenario.release(backend);
    scenario.awaitGone();

    var journal = scenario.requests();
    int webhookDeleted = firstDelete(journal, "/validatingwebhookconfigurations/agent-validate");
    assertThat(webhookDeleted)
        .isLessThan(firstDelete(journal, "/deployments/agent-backend"))
        .isLessThan(firstDelete(journal, "/ingresses/agent-status"))
        .isLessThan(firstDelete(journal, "/configmaps/agent-config"));
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
  }

  @Test
  void theApiServiceIsGoneBeforeItsBackend() {
    scenario.installChart(EXAMPLES.resolve("aggregated-api"), r -> {});

    scenario.delete();
    scenario.awaitGone();

    var journal = scenario.requests();
    assertThat(firstDelete(journal, "/apiservices/v1beta1.metrics.example.dev"))
        .isLessThan(firstDelete(journal, "/deployments/agent-api"))
        .isLessThan(firstDelete(journal, "/services/agent-api"));
    assertThat(
            scenario
                .harness
                .client()
                .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
                .withName("v1beta1.metrics.example.dev")
                .get())
        .isNull();
  }

  private Deployment deployment(String name) {
    return scenario.harness.client().apps().deployments().inNamespace(NS).withName(name).get();
  }

  private boolean webhookExists() {
    return scenario
            .harness
            .client()
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName("agent-validate")
            .get()
        != null;
  }
}
