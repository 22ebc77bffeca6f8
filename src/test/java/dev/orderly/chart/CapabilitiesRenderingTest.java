package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Helm renders for the Kubernetes version and API versions asked for: {@code kubeVersion}
 * constraints are checked against it and {@code .Capabilities.APIVersions.Has} finds what was added
 * (offline) or exactly what a cluster serves.
 */
class CapabilitiesRenderingTest {

  private static final Path CHART = TestCharts.path("capabilities");

  @TempDir Path workRoot;

  private RenderedChart render(KubeCapabilities capabilities) {
    return new ChartRenderer(new HelmJavaTemplater(), workRoot)
        .render(RenderRequest.of(CHART, "rel", "ns").withCapabilities(capabilities));
  }

  private static Map<String, Object> data(RenderedChart chart) {
    RenderedObject configMap =
        chart.objects().stream()
            .filter(o -> o.kind().equals("ConfigMap"))
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) configMap.object().get("data");
    return data;
  }

  @Test
  void theDefaultIsACurrentKubernetesWithHelmsBuiltInApiVersions() {
    RenderedChart chart = render(KubeCapabilities.offlineDefault());

    assertThat(data(chart))
        .containsEntry("kubeVersion", KubeCapabilities.DEFAULT_KUBE_VERSION)
        .containsEntry("apps", "true")
        // Helm's built-in list names group versions only, as helm template shows.
        .containsEntry("deployments", "false")
        .containsEntry("node", "true")
        .containsEntry("monitoring", "false")
        .containsEntry("literal", ".Capabilities.APIVersions.Has \"x\"");
    assertThat(chart.objects()).extracting(RenderedObject::kind).containsExactly("ConfigMap");
  }

  @Test
  void aKubeVersionConstraintIsCheckedAgainstTheVersionAskedFor() {
    assertThat(data(render(KubeCapabilities.offline("v1.24.0", List.of()))))
        .containsEntry("kubeVersion", "v1.24.0");

    assertThatThrownBy(() -> render(KubeCapabilities.offline("v1.23.9", List.of())))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining(
            "chart requires kubeVersion: >=1.24.0-0 which is incompatible with Kubernetes"
                + " v1.23.9");
  }

  @Test
  void addedApiVersionsAreFoundBesideTheBuiltInOnes() {
    RenderedChart chart =
        render(
            KubeCapabilities.offline(
                "v1.30.0",
                List.of("monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor")));

    assertThat(data(chart))
        .containsEntry("monitoring", "true")
        .containsEntry("apps", "true")
        .containsEntry("node", "true");
    assertThat(chart.objects())
        .extracting(RenderedObject::displayName)
        .containsExactly("ConfigMap/rel-capabilities", "ServiceMonitor/rel");
  }

  @Test
  void aClustersApiVersionsAreTheOnlyOnesFound() {
    RenderedChart chart =
        render(
            KubeCapabilities.ofCluster(
                "v1.31.2", List.of("v1", "apps/v1", "monitoring.coreos.com/v1")));

    assertThat(data(chart))
        .containsEntry("kubeVersion", "v1.31.2")
        .containsEntry("apps", "true")
        .containsEntry("deployments", "false")
        .containsEntry("node", "false")
        .containsEntry("monitoring", "true");
    assertThat(chart.objects()).extracting(RenderedObject::kind).containsExactly("ConfigMap");
  }
}
