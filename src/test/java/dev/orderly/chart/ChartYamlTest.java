package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Chart.yaml Helm cannot read gives one line naming the file and the problem. */
class ChartYamlTest {

  @TempDir Path workRoot;
  @TempDir Path chart;

  private final ChartTemplater unreachable =
      request -> {
        throw new AssertionError("Chart.yaml is read before Helm renders anything");
      };

  private String renderFailure() {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                new ChartRenderer(unreachable, workRoot)
                    .render(RenderRequest.of(chart, "rel", "ns")));
    assertThat(thrown).isInstanceOf(ChartRenderException.class);
    assertThat(thrown.getMessage()).doesNotContain("\n");
    return thrown.getMessage();
  }

  @Test
  void templateCodeInChartYamlIsNamedAsSuch() throws IOException {
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: {{ .Values.version }}\n");

    assertThat(renderFailure())
        .isEqualTo(
            chart.resolve("Chart.yaml")
                + " line 3 holds template code, but Helm reads Chart.yaml as plain YAML and never"
                + " renders it: version: {{ .Values.version }}");
  }

  @Test
  void brokenYamlIsTheProblemAndWhereItIs() throws IOException {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: app\n version: 1\n");

    assertThat(renderFailure())
        .isEqualTo(
            chart.resolve("Chart.yaml")
                + " is not valid YAML: mapping values are not allowed here (line 3, column 9)");
  }

  @Test
  void aListIsNoChartYaml() throws IOException {
    Files.writeString(chart.resolve("Chart.yaml"), "- name: app\n");

    assertThat(renderFailure())
        .isEqualTo(
            chart.resolve("Chart.yaml")
                + " is not a YAML mapping of chart fields (name, version, ...)");
  }

  @Test
  void aSubchartsChartYamlIsNamedByItsPath() throws IOException {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 1.0.0\n");
    Path sub = Files.createDirectories(chart.resolve("charts/sub"));
    Files.writeString(sub.resolve("Chart.yaml"), "name: {{ .Chart.Name }}\nversion: 1.0.0\n");

    assertThat(renderFailure())
        .startsWith(chart.resolve("charts/sub/Chart.yaml") + " line 1 holds template code");
  }

  @Test
  void inAnArchiveTheFileIsNamedInsideIt(@TempDir Path dir) throws IOException {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 1.0.0\n");
    Path crds = Files.createDirectories(chart.resolve("crds"));
    // Helm packages crds/ files as they are; only installing them would parse them.
    Files.writeString(crds.resolve("widgets.yaml"), "spec: [1\n");
    new com.marcnuri.helm.Helm(chart).packageIt().withDestination(dir).call();
    chart = dir.resolve("app-1.0.0.tgz");

    assertThat(renderFailure())
        .startsWith(chart + " (crds/widgets.yaml) is not valid YAML: expected ',' or ']'");
  }

  @Test
  void aBrokenCrdFileIsNamedByTheUsersPathNotTheCopy() throws IOException {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: app\nversion: 1.0.0\n");
    Path crds = Files.createDirectories(chart.resolve("crds"));
    Files.writeString(crds.resolve("widgets.yaml"), "kind: CustomResourceDefinition\n\tspec: {}\n");

    assertThat(renderFailure())
        .startsWith(
            crds.resolve("widgets.yaml") + " is not valid YAML: found character '\\t(TAB)'");
  }

  @Test
  void chartIdentityReportsTheSameWay() throws IOException {
    Files.writeString(chart.resolve("Chart.yaml"), "name: {{ .Values.name }}\n");

    assertThatThrownBy(() -> ChartIdentity.read(chart))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageStartingWith(chart.resolve("Chart.yaml") + " line 1 holds template code");
  }
}
