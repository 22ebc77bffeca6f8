package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer's own logic, with a fake templater standing in for Helm. */
class ChartRendererTest {

  @TempDir Path workRoot;

  /**
   * Concatenates the chart's templates the way Helm formats its output, replacing every template
   * action by the release name: enough for the simple test charts to parse.
   */
  private static final class ConcatenatingTemplater implements ChartTemplater {
    RenderRequest request;
    final List<String> filesSeen = new ArrayList<>();

    @Override
    public String template(RenderRequest request) {
      this.request = request;
      StringBuilder out = new StringBuilder();
      try (Stream<Path> files = Files.walk(request.chart())) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          String text = Files.readString(file);
          filesSeen.add(text);
          String relative = request.chart().relativize(file).toString();
          if (relative.startsWith("templates/") && !relative.endsWith(".tpl")) {
            String rendered = text.replaceAll("\\{\\{[^}]*}}", request.releaseName());
            out.append("---\n# Source: app/").append(relative).append('\n').append(rendered);
          }
        }
        for (Path values : request.valuesFiles()) {
          filesSeen.add(Files.readString(values));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }
  }

  @Test
  void helmNeverSeesAHookKeyAndCallersGetThemBack() {
    ConcatenatingTemplater templater = new ConcatenatingTemplater();

    RenderedChart chart =
        new ChartRenderer(templater, workRoot)
            .render(RenderRequest.of(TestCharts.path("hooks-sample"), "rel", "ns"));

    assertThat(templater.filesSeen).noneMatch(text -> text.contains("helm.sh/hook"));
    assertThat(String.join("", templater.filesSeen)).contains("orderly.dev/rendered-hook-weight");
    assertThat(chart.name()).isEqualTo("hooks-sample");
    assertThat(chart.version()).isEqualTo("1.2.3");
    assertThat(chart.hooks())
        .hasSize(3)
        .allSatisfy(hook -> assertThat(hook.annotations()).containsKey("helm.sh/hook"))
        .allSatisfy(
            hook ->
                assertThat(hook.annotations().keySet())
                    .noneMatch(key -> key.startsWith("orderly.dev/")));
  }

  @Test
  void rewritesValuesFilesAndSetPairsConsistently(@TempDir Path dir) throws IOException {
    Path valuesFile = dir.resolve("extra.yaml");
    Files.writeString(valuesFile, "annotations:\n  helm.sh/hook: pre-delete\n");
    ConcatenatingTemplater templater = new ConcatenatingTemplater();
    RenderRequest request =
        RenderRequest.of(TestCharts.path("hooks-sample"), "rel", "ns")
            .withValuesFile(valuesFile)
            .withSetValue("job.annotations.helm\\.sh/hook-weight", "5")
            .withSetValue("note", "see helm.sh/hook docs");

    new ChartRenderer(templater, workRoot).render(request);

    assertThat(templater.request.setValues())
        .containsExactly(
            Map.entry("job.annotations.orderly\\.dev/rendered-hook-weight", "5"),
            Map.entry("note", "see orderly.dev/rendered-hook docs"));
    assertThat(templater.request.valuesFiles()).hasSize(1).doesNotContain(valuesFile);
    assertThat(templater.filesSeen)
        .contains("annotations:\n  orderly.dev/rendered-hook: pre-delete\n");
    assertThat(Files.readString(valuesFile)).contains("helm.sh/hook");
    assertThat(templater.request.releaseName()).isEqualTo("rel");
    assertThat(templater.request.namespace()).isEqualTo("ns");
  }

  @Test
  void listsCrdsOfTheChartAndItsSubcharts() {
    RenderedChart chart =
        new ChartRenderer(new ConcatenatingTemplater(), workRoot)
            .render(RenderRequest.of(TestCharts.path("validation/templated-hooks"), "r", "ns"));

    assertThat(chart.crds())
        .containsExactly(
            new ChartCrd(
                "gadgets.example.com",
                "templated-hooks/crds/gadgets.yaml",
                "example.com",
                "Gadget",
                false),
            new ChartCrd(
                "sprockets.example.com",
                "templated-hooks/charts/sub/crds/sprockets.yaml",
                "example.com",
                "Sprocket",
                true));
  }

  @Test
  void reportsHelmsErrorWithTheOriginalKeysAndChart() {
    Path chart = TestCharts.path("hooks-sample");
    ChartTemplater failing =
        request -> {
          throw new ChartRenderException("YAML parse error: orderly.dev/rendered-hook: [");
        };

    assertThatThrownBy(
            () -> new ChartRenderer(failing, workRoot).render(RenderRequest.of(chart, "r", "n")))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining(chart.toString())
        .hasMessageContaining("YAML parse error: helm.sh/hook: [");
    assertThat(TestCharts.isEmptyDirectory(workRoot)).isTrue();
  }

  @Test
  void deletesItsWorkDirectoryAfterRendering() {
    new ChartRenderer(new ConcatenatingTemplater(), workRoot)
        .render(RenderRequest.of(TestCharts.path("hooks-sample"), "r", "n"));

    assertThat(TestCharts.isEmptyDirectory(workRoot)).isTrue();
  }

  @Test
  void refusesAChartThatAlreadyUsesTheNeutralPrefix(@TempDir Path dir) throws IOException {
    Path chart = TestCharts.copy("hooks-sample", dir.resolve("chart"));
    Files.writeString(
        chart.resolve("templates/extra.yaml"),
        "# orderly.dev/rendered-hook would not survive the round trip\n",
        StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                new ChartRenderer(new ConcatenatingTemplater(), workRoot)
                    .render(RenderRequest.of(chart, "r", "n")))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining("templates/extra.yaml")
        .hasMessageContaining("reserves");
    assertThat(TestCharts.isEmptyDirectory(workRoot)).isTrue();
  }

  @Test
  void reportsAMissingChart() {
    Path missing = workRoot.resolve("nope");

    assertThatThrownBy(
            () ->
                new ChartRenderer(new ConcatenatingTemplater(), workRoot)
                    .render(RenderRequest.of(missing, "r", "n")))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining("chart not found");
  }
}
