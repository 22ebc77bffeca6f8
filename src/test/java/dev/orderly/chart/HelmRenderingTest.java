package dev.orderly.chart;

import static dev.orderly.chart.HelmHookAnnotations.HOOK;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_DELETE_POLICY;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_WEIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Renders real charts with helm-java's embedded Helm. */
class HelmRenderingTest {

  private static final String ALL_EVENTS =
      "one of: " + String.join(", ", HelmHookAnnotations.EVENTS);

  private static List<HookFinding> badHookFindings;

  @TempDir Path workRoot;

  private ChartRenderer renderer() {
    return new ChartRenderer(new HelmJavaTemplater(), workRoot);
  }

  @BeforeAll
  static void renderBadHooksOnce(@TempDir Path dir) {
    RenderedChart chart =
        new ChartRenderer(new HelmJavaTemplater(), dir)
            .render(RenderRequest.of(TestCharts.path("validation/bad-hooks"), "rel", "ns"));
    badHookFindings = new HookValidator().validate(chart);
  }

  @Test
  void plainHelmTemplateOmitsEveryHook() {
    String manifest =
        new HelmJavaTemplater()
            .template(RenderRequest.of(TestCharts.path("hooks-sample"), "rel", "ns"));

    assertThat(RenderedManifestParser.parse(manifest))
        .extracting(RenderedObject::displayName)
        .containsExactlyInAnyOrder("ConfigMap/rel-config", "DaemonSet/rel-ds");
  }

  @Test
  void plainHelmTemplateSilentlyDropsObjectsWithAnUnknownHook() {
    String manifest =
        new HelmJavaTemplater()
            .template(RenderRequest.of(TestCharts.path("validation/bad-hooks"), "rel", "ns"));

    // Only the misspelt key survives, as a plain resource, because Helm does not read it.
    assertThat(RenderedManifestParser.parse(manifest))
        .extracting(RenderedObject::displayName)
        .containsExactly("ConfigMap/misspelt-key");
  }

  @Test
  void rendersTheFixtureWithItsHooks() {
    RenderedChart chart =
        renderer().render(RenderRequest.of(TestCharts.path("hooks-sample"), "rel", "ns"));

    assertThat(chart.name()).isEqualTo("hooks-sample");
    assertThat(chart.version()).isEqualTo("1.2.3");
    assertThat(chart.crds()).isEmpty();
    assertThat(chart.resources())
        .extracting(RenderedObject::displayName)
        .containsExactlyInAnyOrder("ConfigMap/rel-config", "DaemonSet/rel-ds");
    assertThat(chart.hooks())
        .extracting(
            RenderedObject::displayName,
            o -> o.annotations().get(HOOK),
            o -> o.annotations().get(HOOK_WEIGHT),
            o -> o.annotations().get(HOOK_DELETE_POLICY))
        .containsExactlyInAnyOrder(
            tuple("ServiceAccount/rel-hook", "pre-delete", "-2", null),
            tuple("Job/rel-pre-delete", "pre-delete", "-1", "hook-succeeded"),
            tuple(
                "ConfigMap/rel-post-delete-marker",
                "post-install,post-delete",
                null,
                "before-hook-creation"));
    assertThat(chart.objects())
        .allSatisfy(o -> assertThat(o.sourcePath()).isEqualTo("hooks-sample/templates/all.yaml"));
    assertThat(TestCharts.isEmptyDirectory(workRoot)).isTrue();
  }

  @Test
  void theCleanFixtureHasNoFinding() {
    RenderedChart chart =
        renderer().render(RenderRequest.of(TestCharts.path("hooks-sample"), "rel", "ns"));

    assertThat(new HookValidator().validate(chart)).isEmpty();
  }

  @Test
  void rendersHookAnnotationsProducedByValuesHelpersAndSubcharts() {
    RenderedChart chart =
        renderer()
            .render(
                RenderRequest.of(TestCharts.path("validation/templated-hooks"), "rel", "team-a"));

    assertThat(chart.hooks())
        .extracting(RenderedObject::displayName, RenderedObject::annotations)
        .containsExactlyInAnyOrder(
            tuple(
                "Job/rel-templated-hooks-cleanup",
                Map.of(
                    HOOK, "pre-delete", HOOK_WEIGHT, "-5", HOOK_DELETE_POLICY, "hook-succeeded")),
            tuple("Secret/rel-templated-hooks-marker", Map.of(HOOK, "post-install,post-upgrade")),
            tuple("ConfigMap/rel-sub-hook", Map.of(HOOK, "post-delete")));
    RenderedObject job =
        chart.hooks().stream().filter(o -> o.kind().equals("Job")).findFirst().orElseThrow();
    assertThat(job.namespace()).isEqualTo("team-a");
    assertThat(job.labels()).containsEntry("app.kubernetes.io/instance", "rel");
    assertThat(job.sourcePath()).isEqualTo("templated-hooks/templates/cleanup.yaml");
    RenderedObject marker =
        chart.hooks().stream().filter(o -> o.kind().equals("Secret")).findFirst().orElseThrow();
    assertThat(marker.object())
        .extractingByKey("stringData")
        .asString()
        .contains("helm.sh/hook in data");
    assertThat(chart.hooks())
        .filteredOn(o -> o.kind().equals("ConfigMap"))
        .extracting(RenderedObject::sourcePath)
        .containsExactly("templated-hooks/charts/sub/templates/hook.yaml");
    assertThat(chart.resources())
        .extracting(RenderedObject::displayName)
        .containsExactly("Service/rel-templated-hooks");
    assertThat(chart.crds())
        .extracting(ChartCrd::name)
        .containsExactly("gadgets.example.com", "sprockets.example.com");
  }

  @Test
  void appliesValuesFilesAndSetPairsIncludingHookKeys(@TempDir Path dir) throws IOException {
    Path values = dir.resolve("override.yaml");
    Files.writeString(
        values, "cleanup:\n  annotations:\n    helm.sh/hook-delete-policy: hook-failed\n");
    RenderRequest request =
        RenderRequest.of(TestCharts.path("validation/templated-hooks"), "rel", "ns")
            .withValuesFile(values)
            .withSetValue("cleanup.event", "pre-delete,post-delete")
            .withSetValue("cleanup.weight", "7");

    RenderedChart chart = renderer().render(request);

    assertThat(chart.hooks())
        .filteredOn(o -> o.kind().equals("Job"))
        .singleElement()
        .extracting(RenderedObject::annotations)
        .isEqualTo(
            Map.of(
                HOOK,
                "pre-delete,post-delete",
                HOOK_WEIGHT,
                "7",
                HOOK_DELETE_POLICY,
                "hook-failed"));
  }

  @Test
  void rendersAPackagedChartWithAPackagedSubchart(@TempDir Path dir) throws IOException {
    Path source = TestCharts.copy("validation/templated-hooks", dir.resolve("src"));
    Path charts = source.resolve("charts");
    new Helm(charts.resolve("sub")).packageIt().withDestination(charts).call();
    deleteTree(charts.resolve("sub"));
    Path packaged = dir.resolve("packaged");
    Files.createDirectories(packaged);
    new Helm(source).packageIt().withDestination(packaged).call();
    Path archive = packaged.resolve("templated-hooks-2.0.0.tgz");
    assertThat(archive).isRegularFile();

    RenderedChart chart = renderer().render(RenderRequest.of(archive, "rel", "ns"));

    assertThat(chart.name()).isEqualTo("templated-hooks");
    assertThat(chart.hooks())
        .extracting(RenderedObject::displayName)
        .containsExactlyInAnyOrder(
            "Job/rel-templated-hooks-cleanup",
            "Secret/rel-templated-hooks-marker",
            "ConfigMap/rel-sub-hook");
    assertThat(chart.crds())
        .extracting(ChartCrd::sourcePath)
        .containsExactly(
            "templated-hooks/crds/gadgets.yaml", "templated-hooks/charts/sub/crds/sprockets.yaml");
    assertThat(TestCharts.isEmptyDirectory(workRoot)).isTrue();
  }

  @Test
  void reportsHelmsMessageWhenAChartFailsToRender() {
    Path chart = TestCharts.path("validation/broken");

    assertThatThrownBy(() -> renderer().render(RenderRequest.of(chart, "rel", "ns")))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining(chart.toString())
        .hasMessageContaining("function \"noSuchFunction\" not defined")
        .hasMessageNotContaining("--debug");
    assertThat(TestCharts.isEmptyDirectory(workRoot)).isTrue();
  }

  static Stream<Arguments> badHooks() {
    return Stream.of(
        // kind/name, annotation, token, suggested fix
        arguments("ConfigMap/uses-pre-uninstall", HOOK, "pre-uninstall", "pre-delete"),
        arguments("ConfigMap/uses-post-uninstall", HOOK, "post-uninstall", "post-delete"),
        arguments(
            "CustomResourceDefinition/widgets.example.com",
            HOOK,
            "crd-install",
            HookValidator.CRD_FIX),
        arguments("Job/typo-job", HOOK, "pre-delet", "pre-delete"),
        arguments("Job/typo-job", HOOK_DELETE_POLICY, "hook-succeded", "hook-succeeded"),
        arguments("ConfigMap/snake-case", HOOK, "pre_delete", "pre-delete"),
        arguments("ConfigMap/camel-case", HOOK, "PreDelete", "pre-delete"),
        arguments("ConfigMap/misspelt-key", "helm.sh/hooks", "helm.sh/hooks", HOOK),
        arguments("ConfigMap/fractional-weight", HOOK_WEIGHT, "1.5", HookValidator.WEIGHT_FIX),
        arguments("ConfigMap/word-weight", HOOK_WEIGHT, "high", HookValidator.WEIGHT_FIX),
        arguments("ConfigMap/stray-comma", HOOK, "", "remove the extra comma"),
        arguments("ConfigMap/empty-events", HOOK, "", ALL_EVENTS),
        arguments("ConfigMap/unknown-event", HOOK, "teardown", ALL_EVENTS),
        arguments("ConfigMap/from-values", HOOK, "pre-uninstall", "pre-delete"),
        arguments("Job/from-helper", HOOK, "post-uninstall", "post-delete"),
        arguments("Job/from-helper", HOOK_WEIGHT, "high", HookValidator.WEIGHT_FIX),
        arguments(
            "ConfigMap/from-values-annotations",
            HOOK_DELETE_POLICY,
            "hook-success",
            "hook-succeeded"));
  }

  @ParameterizedTest(name = "{0} {1}: \"{2}\" -> {3}")
  @MethodSource("badHooks")
  void findsEveryMistakeHelmWouldSwallow(
      String object, String annotation, String token, String fix) {
    assertThat(badHookFindings)
        .filteredOn(f -> (f.kind() + "/" + f.name()).equals(object))
        .filteredOn(f -> f.annotation().equals(annotation))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.token()).isEqualTo(token);
              assertThat(f.suggestedFix()).isEqualTo(fix);
            });
  }

  @Test
  void badHooksChartHasNoOtherFindings() {
    assertThat(badHookFindings)
        .extracting(f -> f.kind() + "/" + f.name())
        .doesNotContain("ConfigMap/valid-hook");
    assertThat(badHookFindings).hasSize((int) badHooks().count());
    assertThat(badHookFindings).isSortedAccordingTo(HookFinding.REPORT_ORDER);
    assertThat(badHookFindings)
        .filteredOn(f -> f.name().equals("typo-job"))
        .allSatisfy(f -> assertThat(f.sourcePath()).isEqualTo("bad-hooks/templates/typos.yaml"));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
