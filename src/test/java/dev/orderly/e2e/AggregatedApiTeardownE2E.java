package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.AuditLog.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * API aggregation on a real API server: the aggregated-api example's APIService goes before the
 * Deployment that serves it (as Helm deletes APIServices first), so the aggregated group is never
 * left pointing at a backend that is shutting down.
 */
@RequiresControlPlane
class AggregatedApiTeardownE2E extends RealClusterTest {
  private static final String NAME = "metrics";
  private static final String API_SERVICE = "v1beta1.metrics.example.dev";

  @AfterAll
  void removeTheApiServiceIfLeft() {
    // An APIService without a backend breaks discovery, and so namespace deletion, cluster-wide.
    admin
        .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
        .withName(API_SERVICE)
        .delete();
  }

  @Test
  void theApiServiceGoesBeforeItsBackend() {
    String ns = namespace("e2e-aggregated");
    nodes.preStop(pod -> Duration.ofSeconds(2));
    release(ns, NAME, "aggregated-api", r -> {});
    awaitReady(ns, NAME);
    assertThat(
            admin
                .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
                .withName(API_SERVICE)
                .get())
        .isNotNull();

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(NAME).delete();
    awaitGone(ns, NAME, Duration.ofMinutes(2));

    List<Entry> deletes = plane.audit().operatorDeletes(deleted);
    Entry apiService = AuditLog.deleteOf(deletes, "apiservices", API_SERVICE);
    Entry backend = AuditLog.deleteOf(deletes, "deployments", NAME + "-api");
    Entry service = AuditLog.deleteOf(deletes, "services", NAME + "-api");
    assertThat(apiService.completedAt())
        .isBefore(backend.completedAt())
        .isBefore(service.completedAt());
    assertThat(
            admin
                .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
                .withName(API_SERVICE)
                .get())
        .isNull();
  }
}
