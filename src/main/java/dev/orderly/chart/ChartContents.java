package dev.orderly.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads what a chart directory declares outside its templates: the root chart's name and version,
 * and the CRDs of every {@code crds/} directory (subcharts included, as Helm installs those too).
 * Problems are reported in one line naming the file as {@code describe} shows it to the user (the
 * chart may be a temporary copy) and what is wrong, never a YAML parser's internals.
 */
final class ChartContents {

  /** Name and version from a {@code Chart.yaml}. */
  record ChartMetadata(String name, String version) {}

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ChartContents() {}

  /** Name and version from {@code chartDir}'s Chart.yaml, shown to the user as its own path. */
  static ChartMetadata metadata(Path chartDir) {
    return metadata(chartDir, Path::toString);
  }

  static ChartMetadata metadata(Path chartDir, Function<Path, String> describe) {
    JsonNode chart = readChartYaml(chartDir.resolve("Chart.yaml"), describe);
    return new ChartMetadata(chart.path("name").asText(""), chart.path("version").asText(""));
  }

  /** CRDs in Helm's order: the chart's own {@code crds/} files, then each subchart's. */
  static List<ChartCrd> crds(Path chartDir, Function<Path, String> describe) {
    List<ChartCrd> crds = new ArrayList<>();
    collectCrds(chartDir, metadata(chartDir, describe).name(), crds, describe);
    return crds;
  }

  private static void collectCrds(
      Path chartDir, String fullPath, List<ChartCrd> crds, Function<Path, String> describe) {
    Path crdDir = chartDir.resolve("crds");
    for (Path file : files(crdDir)) {
      String name = file.getFileName().toString();
      // The same extensions Helm's Chart.CRDObjects accepts.
      if (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
        String sourcePath = fullPath + "/" + chartDir.relativize(file).toString();
        for (JsonNode doc : readAll(file, describe)) {
          JsonNode spec = doc.path("spec");
          crds.add(
              new ChartCrd(
                  doc.path("metadata").path("name").asText(""),
                  sourcePath,
                  spec.path("group").isTextual() ? spec.path("group").asText() : null,
                  spec.path("names").path("kind").isTextual()
                      ? spec.path("names").path("kind").asText()
                      : null,
                  "Cluster".equals(spec.path("scope").asText(""))));
        }
      }
    }
    for (Path subchart : files(chartDir.resolve("charts"), 1)) {
      if (Files.isRegularFile(subchart.resolve("Chart.yaml"))) {
        String subPath = fullPath + "/charts/" + metadata(subchart, describe).name();
        collectCrds(subchart, subPath, crds, describe);
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

  /**
   * Chart.yaml as a mapping. Helm reads it as plain YAML and never renders it, so template code in
   * it (a common mistake) is named as such when it breaks the YAML.
   */
  private static JsonNode readChartYaml(Path file, Function<Path, String> describe) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ChartRenderException("cannot read " + describe.apply(file) + ": " + e, e);
    }
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      int templateLine = lineOf(text, "{{");
      throw new ChartRenderException(
          templateLine > 0
              ? describe.apply(file)
                  + " line "
                  + templateLine
                  + " holds template code, but Helm reads Chart.yaml as plain YAML and never"
                  + " renders it: "
                  + text.lines().skip(templateLine - 1L).findFirst().orElse("").strip()
              : describe.apply(file) + " is not valid YAML: " + YamlProblems.oneLine(e),
          e);
    }
    if (node == null || !node.isObject()) {
      throw new ChartRenderException(
          describe.apply(file) + " is not a YAML mapping of chart fields (name, version, ...)");
    }
    return node;
  }

  private static int lineOf(String text, String token) {
    int index = text.indexOf(token);
    return index < 0
        ? 0
        : (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
  }

  private static List<JsonNode> readAll(Path file, Function<Path, String> describe) {
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
    } catch (JsonProcessingException e) {
      throw new ChartRenderException(
          describe.apply(file) + " is not valid YAML: " + YamlProblems.oneLine(e), e);
    } catch (IOException e) {
      throw new ChartRenderException("cannot read " + describe.apply(file) + ": " + e, e);
    }
  }
}
