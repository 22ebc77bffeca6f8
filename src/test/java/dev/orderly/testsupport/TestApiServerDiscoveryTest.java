package dev.orderly.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery, content types, typed lists and error bodies as client-go needs them. */
class TestApiServerDiscoveryTest {

  private static final String AGGREGATED =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

  private final TestApiServer server = new TestApiServer().start();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void coreDiscoveryHasKindsScopesVerbsAndStatusSubresources() throws Exception {
    assertThat(read(get("/api"), APIVersions.class).getVersions()).containsExactly("v1");
    APIResourceList core = read(get("/api/v1"), APIResourceList.class);

    assertThat(core.getGroupVersion()).isEqualTo("v1");
    assertThat(resource(core, "configmaps"))
        .returns("ConfigMap", APIResource::getKind)
        .returns("configmap", APIResource::getSingularName)
        .returns(true, APIResource::getNamespaced);
    assertThat(resource(core, "configmaps").getVerbs()).contains("create", "list", "watch");
    assertThat(resource(core, "namespaces").getNamespaced()).isFalse();
    assertThat(resource(core, "pods/status").getVerbs()).containsExactly("get", "patch", "update");
    assertThat(core.getResources()).noneMatch(r -> r.getName().equals("configmaps/status"));
  }

  @Test
  void groupDiscoveryListsEveryBuiltInGroupAndItsResources() throws Exception {
    APIGroupList groups = read(get("/apis"), APIGroupList.class);

    assertThat(groups.getGroups())
        .extracting(APIGroup::getName)
        .contains(
            "apps",
            "batch",
            "rbac.authorization.k8s.io",
            "policy",
            "networking.k8s.io",
            "apiextensions.k8s.io",
            "coordination.k8s.io",
            "events.k8s.io");
    APIResourceList apps = read(get("/apis/apps/v1"), APIResourceList.class);
    assertThat(resource(apps, "daemonsets").getKind()).isEqualTo("DaemonSet");
    assertThat(resource(apps, "daemonsets/status").getKind()).isEqualTo("DaemonSet");
    assertThat(resource(apps, "deployments/scale"))
        .returns("Scale", APIResource::getKind)
        .returns("autoscaling", APIResource::getGroup);
    APIResourceList rbac = read(get("/apis/rbac.authorization.k8s.io/v1"), APIResourceList.class);
    assertThat(resource(rbac, "clusterroles").getNamespaced()).isFalse();
    assertThat(resource(rbac, "roles").getNamespaced()).isTrue();
    assertThat(get("/version").body()).contains("\"gitVersion\":\"v1.31.0\"");
  }

  @Test
  void anAggregatedDiscoveryRequestGetsTheLegacyDocumentAsPlainJson() throws Exception {
    HttpResponse<String> response = get("/apis", AGGREGATED);

    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(read(response, APIGroupList.class).getKind()).isEqualTo("APIGroupList");
  }

  @Test
  void aStoredCrdIsInDiscoveryAtOnceWithItsScopeAndLeavesWithIt() throws Exception {
    var crds = server.client().apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition widgets = crds.resource(TestResources.widgetCrd()).create();
    crds.resource(clusterScoped()).create();

    assertThat(widgets.getStatus().getConditions())
        .anySatisfy(
            c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Established=True"));
    assertThat(read(get("/apis"), APIGroupList.class).getGroups())
        .extracting(APIGroup::getName)
        .contains("test.orderly.dev");
    APIResourceList custom = read(get("/apis/test.orderly.dev/v1"), APIResourceList.class);
    assertThat(resource(custom, "widgets"))
        .returns("Widget", APIResource::getKind)
        .returns(true, APIResource::getNamespaced);
    assertThat(resource(custom, "widgets/status").getKind()).isEqualTo("Widget");
    assertThat(resource(custom, "gizmos").getNamespaced()).isFalse();

    crds.withName("widgets.test.orderly.dev").delete();
    crds.withName("gizmos.test.orderly.dev").delete();

    assertThat(get("/apis/test.orderly.dev/v1").statusCode()).isEqualTo(404);
    assertThat(read(get("/apis"), APIGroupList.class).getGroups())
        .extracting(APIGroup::getName)
        .doesNotContain("test.orderly.dev");
  }

  @Test
  void listsCarryTheirTypedKindAndApiVersion() throws Exception {
    server
        .client()
        .configMaps()
        .inNamespace("lists")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("one").endMetadata().build())
        .create();

    JsonNode configMaps = json(get("/api/v1/namespaces/lists/configmaps"));
    JsonNode daemonSets = json(get("/apis/apps/v1/daemonsets"));

    assertThat(configMaps.path("kind").asText()).isEqualTo("ConfigMapList");
    assertThat(configMaps.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(configMaps.path("items")).hasSize(1);
    assertThat(daemonSets.path("kind").asText()).isEqualTo("DaemonSetList");
    assertThat(daemonSets.path("apiVersion").asText()).isEqualTo("apps/v1");
  }

  @Test
  void aMissingObjectIsANotFoundStatusInJson() throws Exception {
    HttpResponse<String> response = get("/api/v1/namespaces/none/configmaps/missing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    Status status = read(response, Status.class);
    assertThat(status.getReason()).isEqualTo("NotFound");
    assertThat(status.getCode()).isEqualTo(404);
    assertThat(status.getMessage()).isEqualTo("configmaps \"missing\" not found");
    assertThat(status.getDetails().getName()).isEqualTo("missing");
    assertThat(status.getDetails().getKind()).isEqualTo("configmaps");
  }

  @Test
  void pathsOutsideTheApiAreNotFoundInsteadOfListingEverything() throws Exception {
    HttpResponse<String> response = get("/openapi/v2");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(read(response, Status.class).getReason()).isEqualTo("NotFound");
  }

  @Test
  void openApiDeclaresServerSideFieldValidationForEveryKind() throws Exception {
    JsonNode root = json(get("/openapi/v3"));
    JsonNode daemonSet =
        json(get("/openapi/v3/apis/apps/v1"))
            .path("paths")
            .path("/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}")
            .path("patch");

    assertThat(root.path("paths").has("api/v1")).isTrue();
    assertThat(root.path("paths").path("apis/apps/v1").path("serverRelativeURL").asText())
        .isEqualTo("/openapi/v3/apis/apps/v1");
    assertThat(daemonSet.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("DaemonSet");
    assertThat(daemonSet.path("parameters").get(0).path("name").asText())
        .isEqualTo("fieldValidation");
  }

  private static CustomResourceDefinition clusterScoped() {
    return new CustomResourceDefinitionBuilder(TestResources.widgetCrd())
        .editMetadata()
        .withName("gizmos.test.orderly.dev")
        .endMetadata()
        .editSpec()
        .withScope("Cluster")
        .editNames()
        .withKind("Gizmo")
        .withPlural("gizmos")
        .withSingular("gizmo")
        .withListKind("GizmoList")
        .endNames()
        .endSpec()
        .build();
  }

  private static APIResource resource(APIResourceList list, String name) {
    return list.getResources().stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " missing from " + list.getGroupVersion()));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return get(path, "application/json");
  }

  private HttpResponse<String> get(String path, String accept)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", accept).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return new ObjectMapper().readTree(response.body());
  }

  private static <T> T read(HttpResponse<String> response, Class<T> type) {
    return Serialization.unmarshal(response.body(), type);
  }
}
