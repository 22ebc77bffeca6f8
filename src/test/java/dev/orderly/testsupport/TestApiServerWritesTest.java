package dev.orderly.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Creates, status subresources, watches, namespace lifecycle and the request journal through the
 * fabric8 client.
 */
class TestApiServerWritesTest {

  private static final String NS = "writes";

  private final TestApiServer server = new TestApiServer().start();
  private final KubernetesClient client = server.client();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void creatingAnExistingNameFailsWithAlreadyExists() {
    client.configMaps().inNamespace(NS).resource(configMap("twice", Map.of())).create();

    assertThatThrownBy(
            () ->
                client.configMaps().inNamespace(NS).resource(configMap("twice", Map.of())).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
            });
  }

  @Test
  void statusIsASubresourceOfBuiltInKinds() {
    var deployments = client.apps().deployments().inNamespace(NS);
    Deployment created = deployments.resource(deploymentWithReadyReplicas(3)).create();
    assertThat(created.getStatus()).isNull();

    deployments.resource(deploymentWithReadyReplicas(2)).updateStatus();
    Deployment updated = deployments.withName("web").edit(d -> deploymentWithReadyReplicas(9));

    assertThat(updated.getStatus().getReadyReplicas()).isEqualTo(2);
  }

  @Test
  void informersStillWatchOverWebSocket() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (SharedIndexInformer<ConfigMap> informer =
        client.configMaps().inNamespace(NS).inform(recorder(events))) {
      var configMaps = client.configMaps().inNamespace(NS);
      configMaps.resource(configMap("watched", Map.of("a", "1"))).create();
      configMaps.withName("watched").edit(cm -> configMap("watched", Map.of("a", "2")));
      configMaps.withName("watched").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events)
                      .containsExactly("add watched", "update watched 2", "delete watched"));
      assertThat(informer.isWatching()).isTrue();
    }
  }

  @Test
  void httpStreamingWatchesAreRefusedWithAStatus() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/v1/namespaces/" + NS + "/pods?watch=true"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.body()).contains("\"reason\":\"MethodNotAllowed\"");
  }

  @Test
  void nothingCanBeCreatedInATerminatingNamespace() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("closing")
                .withFinalizers("test.orderly.dev/hold")
                .endMetadata()
                .build())
        .create();
    client.configMaps().inNamespace("closing").resource(configMap("before", Map.of())).create();
    client.namespaces().withName("closing").delete();

    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("closing")
                    .resource(configMap("after", Map.of()))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
              assertThat(e.getStatus().getDetails().getCauses())
                  .extracting(StatusCause::getReason)
                  .containsExactly("NamespaceTerminating");
              assertThat(e.getMessage()).contains("because it is being terminated");
            });
    assertThat(client.configMaps().inNamespace("closing").withName("before").get())
        .as("what is already there stays until the namespace controller removes it")
        .isNotNull();
    client.configMaps().inNamespace(NS).resource(configMap("elsewhere", Map.of())).create();
  }

  @Test
  void theJournalKeepsEveryRequestInOrder() {
    client.configMaps().inNamespace(NS).resource(configMap("logged", Map.of())).create();
    client.configMaps().inNamespace(NS).withName("logged").get();

    assertThat(server.requests())
        .extracting(r -> r.method() + " " + r.path())
        .containsSubsequence(
            "POST /api/v1/namespaces/writes/configmaps",
            "GET /api/v1/namespaces/writes/configmaps/logged");
  }

  private static ResourceEventHandler<ConfigMap> recorder(List<String> events) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap cm) {
        events.add("add " + cm.getMetadata().getName());
      }

      @Override
      public void onUpdate(ConfigMap old, ConfigMap cm) {
        events.add("update " + cm.getMetadata().getName() + " " + cm.getData().get("a"));
      }

      @Override
      public void onDelete(ConfigMap cm, boolean unknownFinalState) {
        events.add("delete " + cm.getMetadata().getName());
      }
    };
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }

  private static Deployment deploymentWithReadyReplicas(int ready) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("example.invalid/web:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }
}
