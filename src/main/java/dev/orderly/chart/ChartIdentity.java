package dev.orderly.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name and version a chart (directory or {@code .tgz}) declares in its {@code Chart.yaml}, read
 * without rendering, e.g. to default a release name to the chart's name as {@code helm install
 * --generate-name} users expect from {@code orderly plan}.
 */
public record ChartIdentity(String name, String version) {

  /**
   * Reads {@code chart}'s {@code Chart.yaml}; an archive is unpacked into a temporary directory
   * under {@code java.io.tmpdir} that is removed before this returns.
   *
   * @throws ChartRenderException when the chart does not exist or has no readable Chart.yaml
   */
  public static ChartIdentity read(Path chart) {
    if (Files.isDirectory(chart)) {
      // Checked here so a wrong directory is not copied whole just to find that out.
      if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
        throw new ChartRenderException("no Chart.yaml found in " + chart);
      }
      return of(ChartContents.metadata(chart));
    }
    try (ChartWorkspace workspace =
        ChartWorkspace.create(Path.of(System.getProperty("java.io.tmpdir")), chart)) {
      return of(ChartContents.metadata(workspace.chartDir(), workspace::describe));
    }
  }

  private static ChartIdentity of(ChartContents.ChartMetadata metadata) {
    return new ChartIdentity(metadata.name(), metadata.version());
  }
}
