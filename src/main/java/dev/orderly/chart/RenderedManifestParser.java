package dev.orderly.chart;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits Helm's release manifest into {@link RenderedObject}s. Helm writes each document as {@code
 * ---\n# Source: <path>\n<yaml>}, one object per document, so the {@code # Source:} comment right
 * after a separator names the template that produced the object.
 */
final class RenderedManifestParser {

  private static final Pattern SEPARATOR = Pattern.compile("^---\\s*$");
  private static final Pattern SOURCE = Pattern.compile("^# Source: (.+?)\\s*$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private RenderedManifestParser() {}

  static List<RenderedObject> parse(String manifest) {
    List<RenderedObject> objects = new ArrayList<>();
    String source = "";
    StringBuilder doc = new StringBuilder();
    for (String line : manifest.split("\n", -1)) {
      if (SEPARATOR.matcher(line).matches()) {
        addIfObject(objects, source, doc.toString());
        doc.setLength(0);
        source = "";
        continue;
      }
      Matcher sourceLine = SOURCE.matcher(line);
      if (source.isEmpty() && doc.toString().isBlank() && sourceLine.matches()) {
        source = sourceLine.group(1);
      }
      doc.append(line).append('\n');
    }
    addIfObject(objects, source, doc.toString());
    return objects;
  }

  private static void addIfObject(List<RenderedObject> objects, String source, String yaml) {
    if (yaml.isBlank()) {
      return;
    }
    JsonNode node;
    try {
      node = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ChartRenderException(
          "cannot parse the object rendered from " + source + ": " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return; // only comments, e.g. a template whose whole body is conditional
    }
    if (!node.isObject()) {
      throw new ChartRenderException("the document rendered from " + source + " is not an object");
    }
    Map<String, Object> object = YAML.convertValue(node, MAP);
    Map<String, Object> metadata = mapAt(object, "metadata");
    objects.add(
        new RenderedObject(
            text(object.get("apiVersion")),
            text(object.get("kind")),
            text(metadata.get("namespace")),
            text(metadata.get("name")),
            strings(mapAt(metadata, "labels")),
            strings(mapAt(metadata, "annotations")),
            source,
            object));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapAt(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value instanceof Map<?, ?> nested ? (Map<String, Object>) nested : Map.of();
  }

  private static Map<String, String> strings(Map<String, Object> map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.forEach((key, value) -> result.put(key, text(value)));
    return result;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
