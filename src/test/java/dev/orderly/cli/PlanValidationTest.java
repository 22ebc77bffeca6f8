package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The findings {@code plan} reports, every kind of them, and none for clean charts. */
class PlanValidationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theTypoChartShowsEveryKindOfFinding() throws IOException {
    CliRun run = CliRun.of("plan", "charts/examples/hook-typo", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode findings = JSON.readTree(run.out()).get("findings");
    assertThat(rows(findings, "name", "annotation", "token", "fix", "droppedByHelm"))
        .containsExactly(
            tuple("hook-typo-cleanup", "helm.sh/hook", " pre-uninstall", "pre-delete", "true"),
            tuple(
                "gadgets.example.com",
                "helm.sh/hook",
                "crd-install",
                "move the CRD to the chart's crds/ directory",
                "true"),
            tuple("hook-typo-farewell", "Helm.sh/hook", "Helm.sh/hook", "helm.sh/hook", "false"),
            tuple(
                "hook-typo-farewell",
                "helm.sh/Hook-Weight",
                "helm.sh/Hook-Weight",
                "helm.sh/hook-weight",
                "false"),
            tuple("hook-typo-goodbye", "helm.sh/hook", "", "remove the extra comma", "true"),
            tuple("hook-typo-settings", "helm.sh/hooks", "helm.sh/hooks", "helm.sh/hook", "false"),
            tuple(
                "hook-typo-notify",
                "helm.sh/hook-delete-policy",
                "hook-succeded",
                "hook-succeeded",
                "false"),
            tuple(
                "hook-typo-notify",
                "helm.sh/hook-output-log-policy",
                "hook-failure",
                "hook-failed",
                "false"),
            tuple(
                "hook-typo-notify",
                "helm.sh/hook-weight",
                "first",
                "an integer such as \"-1\"",
                "false"));
    assertThat(rows(findings, "file"))
        .extracting(t -> t.toList().get(0))
        .containsOnly(
            "hook-typo/templates/cleanup-job.yaml",
            "hook-typo/templates/legacy-crd.yaml",
            "hook-typo/templates/more-mistakes.yaml");
  }

  @Test
  void objectsHelmDropsAreLeftInPlaceAndInNoPhase() throws IOException {
    JsonNode plan =
        JSON.readTree(CliRun.of("plan", "charts/examples/hook-typo", "-o", "json").out());

    assertThat(rows(plan.get("leftInPlace"), "reason", "kind", "namespace", "name"))
        .filteredOn(row -> row.toList().get(0).equals("DroppedByHelm"))
        .containsExactly(
            tuple("DroppedByHelm", "ConfigMap", "default", "hook-typo-goodbye"),
            // Cluster-scoped: no namespace, whatever the release's.
            tuple("DroppedByHelm", "CustomResourceDefinition", "null", "gadgets.example.com"),
            tuple("DroppedByHelm", "Job", "default", "hook-typo-cleanup"));
    List<String> planned = new ArrayList<>();
    plan.get("phases")
        .forEach(
            phase -> phase.get("steps").forEach(step -> planned.add(step.get("name").asText())));
    assertThat(planned)
        .doesNotContain("hook-typo-goodbye", "hook-typo-cleanup", "gadgets.example.com")
        // The misspelt key makes it an ordinary object, and a bad weight still leaves a hook.
        .contains("hook-typo-settings", "hook-typo-notify");
  }

  @Test
  void theTableMarksFindingsOfDroppedObjects() {
    String table = CliRun.of("plan", "charts/examples/hook-typo").out();

    assertThat(table)
        .contains(
            "  hook-typo/templates/cleanup-job.yaml  Job/hook-typo-cleanup  (dropped by Helm)\n"
                + "    helm.sh/hook: \"pre-uninstall\" (fix: pre-delete)\n")
        .contains(
            "  hook-typo/templates/more-mistakes.yaml  Job/hook-typo-notify\n"
                + "    helm.sh/hook-delete-policy: \"hook-succeded\" (fix: hook-succeeded)\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node-agent", "hook-ordering", "keep-and-crds"})
  void cleanChartsHaveNoFalseFinding(String chart) throws IOException {
    CliRun table = CliRun.of("plan", "charts/examples/" + chart);
    CliRun json = CliRun.of("plan", "charts/examples/" + chart, "-o", "json");

    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).endsWith("\nNo hook findings.\n").doesNotContain("dropped by Helm");
    assertThat(json.exitCode()).isZero();
    assertThat(JSON.readTree(json.out()).get("findings")).isEmpty();
  }

  private static List<Tuple> rows(JsonNode array, String... fields) {
    List<Tuple> rows = new ArrayList<>();
    for (JsonNode node : array) {
      Object[] values = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        values[i] = node.get(fields[i]).asText();
      }
      rows.add(tuple(values));
    }
    return rows;
  }
}
