package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Admission on a real API server: the webhook-backend example's ValidatingWebhookConfiguration
 * ({@code failurePolicy: Fail}, matching the ConfigMap and Ingress deletes the teardown sends) is
 * served on 127.0.0.1 by the test, which stops answering the moment the backend Deployment is
 * deleted, as a real backend would. The webhook must be gone before its backend, so nothing the
 * teardown sends is rejected.
 */
@RequiresControlPlane
class WebhookTeardownE2E extends RealClusterTest {
  private static final String NAME = "admission";

  private WebhookBackend backend;
  private SharedIndexInformer<Deployment> backendWatch;

  @AfterAll
  void stopBackend() {
    if (backendWatch != null) {
      backendWatch.close();
    }
    // Should a run fail half-way, a webhook without a backend must not hold anything hostage.
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(NAME + "-validate")
        .delete();
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void theWebhookGoesBeforeItsBackendAndNothingIsRejected() {
    String ns = namespace("e2e-webhook");
    backend = WebhookBackend.start(Path.of("target", "e2e", "webhook").toAbsolutePath());
    nodes.preStop(pod -> Duration.ofSeconds(3));
    release(ns, NAME, "webhook-backend", r -> r.getSpec().setValues(values(ns)));
    awaitReady(ns, NAME);
    // The webhook is live: an Ingress of the user's goes through it.
    admin
        .network()
        .v1()
        .ingresses()
        .inNamespace(ns)
        .resource(
            new IngressBuilder()
                .withNewMetadata()
                .withName("users-own")
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost("own.example.dev")
                .endRule()
                .endSpec()
                .build())
        .create();
    assertThat(backend.reviews()).as("admission reviews the backend answered").isPositive();
    backendWatch = stopBackendWhenItsDeploymentIsDeleted(ns);

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(NAME).delete();
    awaitGone(ns, NAME, Duration.ofMinutes(3));

    assertThat(backend.stopped()).as("the backend was stopped with its Deployment").isTrue();
    List<Entry> byOperator =
        plane.audit().since(deleted).stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER))
            .toList();
    assertThat(byOperator.stream().filter(e -> e.code() >= 500 || e.code() == 400 && e.isDelete()))
        .as("requests the API server rejected")
        .isEmpty();
    Entry webhookGone =
        AuditLog.deleteOf(byOperator, "validatingwebhookconfigurations", NAME + "-validate");
    Entry backendGone = AuditLog.deleteOf(byOperator, "deployments", NAME + "-backend");
    assertThat(webhookGone.completedAt()).isBefore(backendGone.completedAt());
    assertThat(AuditLog.deleteOf(byOperator, "configmaps", NAME + "-config").succeeded()).isTrue();
    assertThat(AuditLog.deleteOf(byOperator, "ingresses", NAME + "-status").succeeded()).isTrue();
    assertThat(
            admin
                .admissionRegistration()
                .v1()
                .validatingWebhookConfigurations()
                .withName(NAME + "-validate")
                .get())
        .isNull();
    assertThat(admin.configMaps().inNamespace(ns).withName(NAME + "-config").get()).isNull();
  }

  private ObjectNode values(String ns) {
    return new ObjectMapper()
        .valueToTree(
            Map.of(
                "terminationGracePeriodSeconds",
                30,
                "webhook",
                Map.of(
                    "url",
                    backend.url(),
                    "caBundle",
                    backend.caBundle(),
                    "namespaceSelector",
                    Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", ns)))));
  }

  private SharedIndexInformer<Deployment> stopBackendWhenItsDeploymentIsDeleted(String ns) {
    return admin
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(NAME + "-backend")
        .inform(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(Deployment deployment) {
                onUpdate(null, deployment);
              }

              @Override
              public void onUpdate(Deployment before, Deployment deployment) {
                if (deployment.getMetadata().getDeletionTimestamp() != null) {
                  backend.stop();
                }
              }

              @Override
              public void onDelete(Deployment deployment, boolean unknownState) {
                backend.stop();
              }
            });
  }
}
