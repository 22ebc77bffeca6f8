package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.orderly.api.UninstallOptions;
import dev.orderly.chart.ChartRenderer;
import dev.orderly.chart.RenderRequest;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ReleaseFixtures;
import dev.orderly.teardown.ChartPlan;
import dev.orderly.teardown.PlannedStep;
import dev.orderly.teardown.TeardownPlan;
import dev.orderly.teardown.TeardownPlanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code plan} prints is what the operator does: for the fixture chart, the plan made from a
 * render equals the plan {@link TeardownPlanner#plan(HelmReleaseRecord, UninstallOptions)} makes
 * from the Helm 3.21 release record that installing the same chart stored.
 */
class PlanMatchesOperatorTest {

  private static final Path FIXTURE_CHART = Path.of("src/test/resources/charts/hooks-sample");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void planFromTheRenderHasTheStepsOfThePlanFromTheRecord() {
    HelmReleaseRecord record = ReleaseFixtures.sampleRelease();
    UninstallOptions options = new UninstallOptions();

    TeardownPlan operator = TeardownPlanner.plan(record, options);
    TeardownPlan rendered =
        ChartPlan.fromChart(
                new ChartRenderer()
                    .render(RenderRequest.of(FIXTURE_CHART, record.name(), record.namespace())),
                record.name(),
                record.namespace(),
                options)
            .plan();

    assertThat(operator.steps()).hasSize(6);
    // Hook manifests are the same object, but Helm stores the template's text and the render
    // re-serialises it: compare them as YAML trees, and everything else exactly.
    assertThat(withoutManifests(rendered.steps())).isEqualTo(withoutManifests(operator.steps()));
    for (int i = 0; i < operator.steps().size(); i++) {
      assertThat(tree(rendered.steps().get(i).manifest()))
          .as("manifest of step %d", i)
          .isEqualTo(tree(operator.steps().get(i).manifest()));
    }
    assertThat(rendered.releaseName()).isEqualTo(operator.releaseName());
    assertThat(rendered.releaseNamespace()).isEqualTo(operator.releaseNamespace());
  }

  @Test
  void optionsChangeBothPlansAlike() {
    HelmReleaseRecord record = ReleaseFixtures.sampleRelease();
    UninstallOptions options = new UninstallOptions();
    options.setDisableHooks(true);
    options.setKeepHistory(true);

    TeardownPlan operator = TeardownPlanner.plan(record, options);
    TeardownPlan rendered =
        ChartPlan.fromChart(
                new ChartRenderer()
                    .render(RenderRequest.of(FIXTURE_CHART, record.name(), record.namespace())),
                record.name(),
                record.namespace(),
                options)
            .plan();

    assertThat(rendered.steps()).isEqualTo(operator.steps());
    assertThat(rendered.steps()).noneMatch(step -> step.action() == PlannedStep.Action.RunHook);
  }

  private static List<PlannedStep> withoutManifests(List<PlannedStep> steps) {
    return steps.stream()
        .map(
            s ->
                new PlannedStep(
                    s.phase(),
                    s.action(),
                    s.apiVersion(),
                    s.kind(),
                    s.namespace(),
                    s.name(),
                    s.weight(),
                    s.deletePolicies(),
                    s.source(),
                    s.reason(),
                    null))
        .toList();
  }

  private static JsonNode tree(String yaml) {
    try {
      return yaml == null ? null : YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
