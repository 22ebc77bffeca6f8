package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderedManifestParserTest {

  @Test
  void splitsHelmOutputIntoObjectsCarryingTheirSourceTemplate() {
    String manifest =
        """
        ---
        # Source: app/templates/config.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: rel-config
          namespace: team-a
          labels: {app: demo, tier: 1}
          annotations:
            "helm.sh/hook": pre-delete
            "helm.sh/hook-weight": -2
        data:
          script: |
            echo one
            echo two
        ---
        # Source: app/charts/sub/templates/sa.yaml
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: rel-sa
        """;

    List<RenderedObject> objects = RenderedManifestParser.parse(manifest);

    assertThat(objects).hasSize(2);
    RenderedObject config = objects.get(0);
    assertThat(config.apiVersion()).isEqualTo("v1");
    assertThat(config.kind()).isEqualTo("ConfigMap");
    assertThat(config.name()).isEqualTo("rel-config");
    assertThat(config.namespace()).isEqualTo("team-a");
    assertThat(config.sourcePath()).isEqualTo("app/templates/config.yaml");
    assertThat(config.labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "demo", "tier", "1"));
    assertThat(config.annotations())
        .containsEntry("helm.sh/hook", "pre-delete")
        .containsEntry("helm.sh/hook-weight", "-2");
    assertThat(config.isHook()).isTrue();
    assertThat(config.object()).extractingByKey("data").asString().contains("echo two");

    RenderedObject account = objects.get(1);
    assertThat(account.sourcePath()).isEqualTo("app/charts/sub/templates/sa.yaml");
    assertThat(account.namespace()).isEmpty();
    assertThat(account.annotations()).isEmpty();
    assertThat(account.isHook()).isFalse();
  }

  @Test
  void skipsDocumentsWithoutAnObject() {
    String manifest =
        """
        ---
        # Source: app/templates/empty.yaml
        # everything here was conditional
        ---
        # Source: app/templates/cm.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
        """;

    assertThat(RenderedManifestParser.parse(manifest))
        .extracting(RenderedObject::displayName)
        .containsExactly("ConfigMap/cm");
  }

  @Test
  void reportsTheTemplateOfAnUnparsableObject() {
    String manifest =
        """
        ---
        # Source: app/templates/bad.yaml
        kind: [unclosed
        """;

    assertThatThrownBy(() -> RenderedManifestParser.parse(manifest))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining("app/templates/bad.yaml");
  }
}
