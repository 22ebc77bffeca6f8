package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import dev.orderly.helm.JvmSignals;
import dev.orderly.testsupport.ApiRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator chart's default rules, watching all namespaces, cover the kinds popular charts
 * contain, and hold every permission the example charts' roles grant, which Kubernetes' RBAC
 * escalation check requires before the operator may create those roles.
 */
class DefaultReleaseRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static ChartRbac defaults;

  @BeforeAll
  static void renderTheChart() {
    defaults = ChartRbac.render(Path.of("charts/orderly"), "orderly", "orderly-system");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/apis/networking.k8s.io/v1/ingressclasses",
    "/apis/apiregistration.k8s.io/v1/apiservices",
    "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
    "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
    "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies",
    "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings",
    "/apis/scheduling.k8s.io/v1/priorityclasses",
    "/apis/storage.k8s.io/v1/storageclasses",
    "/apis/storage.k8s.io/v1/csidrivers",
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    "/apis/policy/v1/namespaces/apps/poddisruptionbudgets",
    "/apis/autoscaling/v2/namespaces/apps/horizontalpodautoscalers",
    "/apis/batch/v1/namespaces/apps/cronjobs",
    "/apis/networking.k8s.io/v1/namespaces/apps/networkpolicies",
    "/apis/networking.k8s.io/v1/namespaces/apps/ingresses",
  })
  void coversAKindPopularChartsContain(String collection) {
    for (String[] call :
        List.of(
            new String[] {"POST", collection},
            new String[] {"GET", collection + "/x"},
            new String[] {"GET", collection + "?watch=true"},
            new String[] {"PATCH", collection + "/x"},
            new String[] {"DELETE", collection + "/x"})) {
      assertThat(allowed(call[0], call[1])).as(call[0] + " " + call[1]).isTrue();
    }
  }

  @Test
  void nodesAreReadOnly() {
    assertThat(allowed("GET", "/api/v1/nodes")).isTrue();
    assertThat(allowed("GET", "/api/v1/nodes?watch=true")).isTrue();
    assertThat(allowed("GET", "/api/v1/nodes/n1")).isTrue();
    assertThat(allowed("DELETE", "/api/v1/nodes/n1")).isFalse();
    assertThat(allowed("PATCH", "/api/v1/nodes/n1")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"node-agent", "hook-ordering", "own-namespace"})
  void holdsEveryPermissionTheExampleChartsRolesGrant(String chart) throws IOException {
    List<String> missing = new ArrayList<>();
    for (JsonNode role : roles(Path.of("charts/examples", chart))) {
      boolean cluster = role.path("kind").asText().equals("ClusterRole");
      for (JsonNode rule : role.path("rules")) {
        for (JsonNode group : rule.path("apiGroups")) {
          for (JsonNode resource : rule.path("resources")) {
            for (JsonNode verb : rule.path("verbs")) {
              String path = path(group.asText(), resource.asText(), cluster);
              ApiCall call =
                  new ApiCall(
                      verb.asText(),
                      group.asText(),
                      resource.asText().split("/")[0],
                      resource.asText().contains("/") ? resource.asText().split("/")[1] : null,
                      cluster ? null : "apps",
                      null,
                      null,
                      new ApiRequest("GET", path, "", "", ""));
              if (defaults.allowing(call).isEmpty()) {
                missing.add(role.path("metadata").path("name").asText() + ": " + verb + " " + path);
              }
            }
          }
        }
      }
    }
    assertThat(missing).as("permissions the operator would need to create these roles").isEmpty();
  }

  private static boolean allowed(String method, String path) {
    return defaults.allowing(ApiCall.of(new ApiRequest(method, path, "", "", ""))).isPresent();
  }

  private static String path(String group, String resource, boolean cluster) {
    return (group.isEmpty() ? "/api/v1/" : "/apis/" + group + "/v1/")
        + (cluster ? "" : "namespaces/apps/")
        + resource;
  }

  private static List<JsonNode> roles(Path chart) throws IOException {
    String manifest;
    try {
      manifest = new Helm(chart).template().withName("example").withNamespace("apps").call();
    } finally {
      JvmSignals.reclaim();
    }
    List<JsonNode> roles = new ArrayList<>();
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(manifest)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        String kind = document == null ? "" : document.path("kind").asText();
        if (kind.equals("ClusterRole") || kind.equals("Role")) {
          roles.add(document);
        }
      }
    }
    return roles;
  }
}
