package dev.orderly.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Strategic merge, JSON merge and server-side apply patches, and their documented limit. */
class TestApiServerPatchTest {

  private static final String NS = "patches";

  private final TestApiServer server = new TestApiServer().start();
  private final KubernetesClient client = server.client();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void strategicMergePatchMergesAListByTheKeyItsElementOrderNames() {
    client.pods().inNamespace(NS).resource(twoContainerPod()).create();
    // The shape of client-go's three-way patches, i.e. of a Helm upgrade.
    String patch =
        """
        {"metadata": {"labels": {"tier": "web"}},
         "spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                  "containers": [{"image": "example.invalid/a:2", "name": "a"}]}}
        """;

    Pod patched = strategicMergePatch(patch);

    assertThat(patched.getMetadata().getLabels()).containsEntry("app", "demo");
    assertThat(patched.getMetadata().getLabels()).containsEntry("tier", "web");
    List<Container> containers = patched.getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("a", "b");
    assertThat(containers.get(0).getImage()).isEqualTo("example.invalid/a:2");
    assertThat(containers.get(0).getPorts()).hasSize(1);
    assertThat(patched.getSpec().getAdditionalProperties()).isEmpty();
  }

  /** Pins the documented limit: Kubernetes knows containers merge by name and would keep "b". */
  @Test
  void strategicMergePatchReplacesAListThatComesWithoutElementOrder() {
    client.pods().inNamespace(NS).resource(twoContainerPod()).create();

    Pod patched =
        strategicMergePatch(
            "{\"spec\": {\"containers\": [{\"name\": \"a\", \"image\":"
                + " \"example.invalid/a:2\"}]}}");

    List<Container> containers = patched.getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("a");
    assertThat(containers.get(0).getPorts()).isEmpty();
  }

  @Test
  void strategicMergePatchDirectivesDeleteMapsListElementsAndPrimitives() {
    client.pods().inNamespace(NS).resource(twoContainerPod()).create();
    String patch =
        """
        {"metadata": {"labels": {"$patch": "delete"},
                      "$deleteFromPrimitiveList/finalizers": ["example.invalid/x"]},
         "spec": {"$setElementOrder/containers": [{"name": "a"}],
                  "containers": [{"name": "b", "$patch": "delete"}]}}
        """;

    Pod patched = strategicMergePatch(patch);

    assertThat(patched.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(patched.getMetadata().getFinalizers()).containsExactly("example.invalid/y");
    assertThat(patched.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("a");
    assertThat(patched.getSpec().getContainers().get(0).getPorts()).hasSize(1);
  }

  @Test
  void jsonMergePatchFollowsRfc7386() {
    client
        .configMaps()
        .inNamespace(NS)
        .resource(configMap("merge", Map.of("a", "1", "b", "2")))
        .create();
    client.configMaps().inNamespace(NS).withName("merge").edit(cm -> withFinalizers(cm, "x", "y"));

    ConfigMap patched =
        client
            .configMaps()
            .inNamespace(NS)
            .withName("merge")
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"data\": {\"a\": null, \"c\": \"3\"}, \"metadata\": {\"finalizers\": [\"z\"]}}");

    assertThat(patched.getData()).isEqualTo(Map.of("b", "2", "c", "3"));
    assertThat(patched.getMetadata().getFinalizers()).containsExactly("z");
  }

  @Test
  void serverSideApplyCreatesAndThenMerges() {
    var configMaps = client.configMaps().inNamespace(NS);
    configMaps
        .resource(configMap("applied", Map.of("a", "1")))
        .fieldManager("test")
        .serverSideApply();
    configMaps
        .resource(configMap("applied", Map.of("b", "2")))
        .fieldManager("test")
        .serverSideApply();

    assertThat(configMaps.withName("applied").get().getData())
        .isEqualTo(Map.of("a", "1", "b", "2"));
  }

  private Pod strategicMergePatch(String patch) {
    return client
        .pods()
        .inNamespace(NS)
        .withName("pod")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }

  private static ConfigMap withFinalizers(ConfigMap configMap, String... finalizers) {
    return new ConfigMapBuilder(configMap)
        .editMetadata()
        .withFinalizers(finalizers)
        .endMetadata()
        .build();
  }

  private static Pod twoContainerPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("pod")
        .addToLabels("app", "demo")
        .withFinalizers("example.invalid/x", "example.invalid/y")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("a")
        .withImage("example.invalid/a:1")
        .addNewPort()
        .withContainerPort(80)
        .endPort()
        .endContainer()
        .addNewContainer()
        .withName("b")
        .withImage("example.invalid/b:1")
        .endContainer()
        .endSpec()
        .build();
  }
}
