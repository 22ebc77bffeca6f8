package dev.orderly.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what a chart directory declares outside its templates: the root chart's name and version,
 * and the CRDs of every {@code crds/} directory (subcharts included, as Helm installs those too).
 */
final class ChartContents {

  /** Name and version from a {@code Chart.yaml}. */
  record ChartMetadata(String name, String version) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ChartContents() {}

  static ChartMetadata metadata(Path chartDir) {
    JsonNode chart = readTree(chartDir.resolve("Chart.yaml"));
    return new ChartMetadata(chart.path("name").asText(""), chart.path("version").asText(""));
  }

  /** CRDs in Helm's order: the chart's own {@code crds/} files, then each subchart's. */
  static List<ChartCrd> crds(Path chartDir) {
    List<ChartCrd> crds = new ArrayList<>();
    collectCrds(chartDir, metadata(chartDir).name(), crds);
    return crds;
  }

  private static void collectCrds(Path chartDir, String fullPath, List<ChartCrd> crds) {
    Path crdDir = chartDir.resolve("crds");
    for (Path file : files(crdDir)) {
      String name = file.getFileName().toString();
      // The same extensions Helm's Chart.CRDObjects accepts.
      if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
        String sourcePath = fullPath + "/" + chartDir.relativize(file).toString();
        for (JsonNode doc : readAll(file)) {
          crds.add(new ChartCrd(doc.path("metadata").path("name").asText(""), sourcePath));
        }
      }
    }
    for (Path subchart : files(chartDir.resolve("charts"), 1)) {
      if (Files.isRegularFile(subchart.resolve("Chart.yaml"))) {
        String subPath = fullPath + "/charts/" + metadata(subchart).name();
        collectCrds(subchart, subPath, crds);
      }
    }
  }

  private static List<Path> files(Path dir) {
    return files(dir, Integer.MAX_VALUE).stream().filter(Files::isRegularFile).toList();
  }

  private static List<Path> files(Path dir, int depth) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(dir, depth)) {
      return paths.filter(p -> !p.equals(dir)).sorted().toList();
    } catch (IOException e) {
      throw new ChartRenderException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readTree(Path file) {
    try {
      JsonNode node = YAML.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new ChartRenderException(file.getFileName() + " is not a YAML mapping");
      }
      return node;
    } catch (IOException e) {
      throw new ChartRenderException("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<JsonNode> readAll(Path file) {
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> result = new ArrayList<>();
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && doc.isObject()) {
          result.add(doc);
        }
      }
      return result;
    } catch (IOException e) {
      throw new ChartRenderException("cannot parse CRD file " + file + ": " + e.getMessage(), e);
    }
  }
}
