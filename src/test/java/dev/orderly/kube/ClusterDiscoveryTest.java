package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.chart.KubeCapabilities;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Capabilities and scopes as the test API server's discovery reports them. */
class ClusterDiscoveryTest {

  private final TestApiServer server = new TestApiServer().start();
  private final MutableClock clock = MutableClock.startingNow();
  private final ClusterDiscovery discovery =
      new ClusterDiscovery(server.client(), clock, Duration.ofMinutes(1));

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void capabilitiesAreTheClustersVersionAndEveryServedVersionAndKind() {
    KubeCapabilities capabilities = discovery.capabilities();

    // The test API server claims v1.31.0 at /version.
    assertThat(capabilities.kubeVersion()).isEqualTo("v1.31.0");
    assertThat(capabilities.fromCluster()).isTrue();
    assertThat(capabilities.apiVersions())
        .contains("v1", "v1/ConfigMap", "apps/v1", "apps/v1/Deployment", "batch/v1/Job")
        .doesNotContain("node.k8s.io/v1", "example.com/v1");
    assertThat(discovery.clusterScopedKinds())
        .contains("/Namespace", "rbac.authorization.k8s.io/ClusterRole")
        .doesNotContain("/ConfigMap", "/Pod");
  }

  @Test
  void capabilitiesAreReusedUntilTheyAgeOut() {
    discovery.capabilities();
    server.client().apiextensions().v1().customResourceDefinitions().resource(gizmos()).create();
    int requests = server.requests().size();

    assertThat(discovery.capabilities().apiVersions()).doesNotContain("example.com/v1");
    assertThat(server.requests()).hasSize(requests);

    clock.advance(Duration.ofMinutes(1));
    assertThat(discovery.capabilities().apiVersions())
        .contains("example.com/v1", "example.com/v1/Gizmo");
  }

  @Test
  void scopesNameTheClusterScopedKindsOfTheVersionsAskedAbout() {
    server.client().apiextensions().v1().customResourceDefinitions().resource(gizmos()).create();

    assertThat(
            discovery.clusterScopedKinds(
                List.of("example.com/v1", "rbac.authorization.k8s.io/v1", "gone.example.com/v1")))
        .containsExactlyInAnyOrder(
            "example.com/Gizmo",
            "rbac.authorization.k8s.io/ClusterRole",
            "rbac.authorization.k8s.io/ClusterRoleBinding");
    assertThat(discovery.clusterScopedKinds(List.of("v1"))).contains("/Namespace", "/Node");
  }

  private static CustomResourceDefinition gizmos() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("gizmos.example.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.com")
        .withScope("Cluster")
        .withNewNames()
        .withKind("Gizmo")
        .withPlural("gizmos")
        .withSingular("gizmo")
        .withListKind("GizmoList")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
