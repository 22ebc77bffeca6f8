package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Helm renders a chart that calls {@code lookup} (in a template, a helper, a value passed to
 * {@code tpl}) as {@code helm template} does: every lookup finds nothing. That no request leaves
 * the process is proven in {@code dev.orderly.cli.PlanOfflineTest}.
 */
class OfflineLookupRenderingTest {

  @TempDir Path workRoot;

  @Test
  void everyLookupFindsNothingAndTheRestRendersAsWritten() {
    RenderedChart chart =
        new ChartRenderer(new HelmJavaTemplater(), workRoot)
            .render(RenderRequest.of(TestCharts.path("lookup"), "rel", "ns"));

    RenderedObject secret = object(chart, "Secret");
    assertThat(data(secret))
        .containsEntry("password", Base64.getEncoder().encodeToString("generated".getBytes()));
    assertThat(secret.annotations()).containsEntry("note", "keeps the password a lookup finds");
    assertThat(data(object(chart, "ConfigMap")))
        .containsEntry("namespaces", "0")
        .containsEntry("piped", "{}")
        .containsEntry("literal", "lookup")
        .containsEntry("greeting", "hello");
  }

  private static RenderedObject object(RenderedChart chart, String kind) {
    return chart.objects().stream().filter(o -> o.kind().equals(kind)).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(RenderedObject object) {
    return (Map<String, Object>) object.object().get("data");
  }
}
