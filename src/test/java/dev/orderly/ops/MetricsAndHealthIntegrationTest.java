package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.TeardownPhase;
import dev.orderly.metrics.OperatorEndpoints;
import dev.orderly.reconciler.OrderlyOperator;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's HTTP port as Prometheus and the kubelet use it: after a real install and teardown,
 * {@code /metrics} has the Helm operation, every phase, the hook and the reconciles; {@code
 * /healthz} and {@code /readyz} answer 200 while the operator runs.
 */
class MetricsAndHealthIntegrationTest {
  private static final String NS = "agents";
  private static final String NAME = "agent";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OperatorHarness harness;
  private ClusterSimulator simulator;
  private OrderlyOperator operator;
  private OperatorEndpoints endpoints;

  @BeforeEach
  void start() throws IOException {
    harness = OperatorHarness.start();
    simulator = new ClusterSimulator(harness.client(), 2).start();
    operator = harness.operator();
    endpoints =
        OperatorEndpoints.start(0, operator.metrics().registry(), operator::live, operator::ready);
  }

  @AfterEach
  void stop() {
    endpoints.close();
    simulator.close();
    harness.close();
  }

  @Test
  void aFinishedTeardownShowsItsPhasesHookAndHelmOperationInTheMetrics() {
    simulator.completeJobsAutomatically(true);
    simulator.terminatePodsAtOnce(true);
    harness.create(Releases.nodeAgent(NS, NAME));
    Releases.awaitReady(harness.client(), NS, NAME, "InstallSucceeded");
    harness.client().resource(harness.get(NS, NAME)).delete();
    Releases.awaitGone(harness.client(), NS, NAME);

    // JOSDK counts a cleanup just after the finalizer went, so wait for it.
    PrometheusText metrics =
        await()
            .atMost(OperatorHarness.TIMEOUT)
            .until(
                () -> PrometheusText.parse(get("/metrics").body()),
                m -> m.value("orderly_cleanups_done_total").isPresent());

    assertThat(metrics.text())
        .contains("# TYPE orderly_teardown_phase_duration_seconds histogram\n")
        .contains("orderly_teardown_phase_duration_seconds_bucket{phase=\"DaemonSets\",le=\"");
    for (TeardownPhase phase : TeardownPhase.values()) {
      if (phase != TeardownPhase.Done) {
        assertThat(
                metrics.valueOf(
                    "orderly_teardown_phase_duration_seconds_count{phase=\"" + phase + "\"}"))
            .as("teardowns that finished phase %s", phase)
            .isEqualTo(1);
      }
    }
    assertThat(
            metrics.valueOf(
                "orderly_hook_duration_seconds_count{phase=\"PreDeleteHooks\",outcome=\"Done\"}"))
        .as("the drain hook")
        .isEqualTo(1);
    assertThat(metrics.valueOf("orderly_teardowns_started_total")).isEqualTo(1);
    assertThat(metrics.valueOf("orderly_teardowns_finished_total")).isEqualTo(1);
    assertThat(metrics.valueOf("orderly_teardown_duration_seconds_count")).isEqualTo(1);
    assertThat(metrics.valueOf("orderly_teardowns_in_progress")).isZero();
    assertThat(metrics.value("orderly_teardowns_failed_total")).isEmpty();
    assertThat(
            metrics.valueOf(
                "orderly_helm_operations_total{operation=\"install\",outcome=\"success\"}"))
        .isEqualTo(1);
    assertThat(metrics.valueOf("orderly_reconciliations_started_total")).isGreaterThan(1);
    assertThat(metrics.valueOf("orderly_reconciliations_total{outcome=\"success\"}"))
        .isGreaterThan(1);
    assertThat(metrics.value("orderly_reconciliations_total{outcome=\"failure\"}")).isEmpty();
    // JOSDK calls cleanupDoneFor when the finalizer is removed and again when the delete event
    // arrives, unless that event came while cleanup still ran: one teardown counts once or twice.
    assertThat(metrics.valueOf("orderly_cleanups_done_total")).isBetween(1.0, 2.0);
    assertThat(metrics.valueOf("orderly_events_received_total")).isGreaterThan(1);
    assertThat(metrics.valueOf("orderly_controller_execution_seconds_count{operation=\"cleanup\"}"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void probesAnswer200WhileTheOperatorRunsAndReadinessFailsOnceItStopped() {
    HttpResponse<String> live = get("/healthz");
    HttpResponse<String> ready = get("/readyz");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("ok\n");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok\n");

    harness.stopOperator();

    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  private HttpResponse<String> get(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during GET " + path, e);
    }
  }
}
