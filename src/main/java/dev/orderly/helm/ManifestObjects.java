package dev.orderly.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Helm manifest (multi-document YAML with {@code # Source:} comments) into its objects, in
 * manifest order. Empty and comment-only documents are skipped; {@code kind: List} documents are
 * flattened into their items, as Helm's kube client does when it builds them.
 *
 * @throws IllegalArgumentException (from {@link #parse}) naming the document and its source when a
 *     document is not YAML, not a mapping, or lacks kind or metadata.name
 */
public final class ManifestObjects {
  // Helm's own document separator (pkg/releaseutil/manifest.go), so we split exactly where Helm
  // does, including "---" followed by spaces or a comment.
  private static final Pattern SEPARATOR = Pattern.compile("(?:^|\\s*\n)---\\s*");
  private static final Pattern SOURCE = Pattern.compile("(?m)^#\\s*Source:\\s*(.+?)\\s*$");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private ManifestObjects() {}

  /** The objects in {@code manifest}; an empty or null manifest has none. */
  public static List<ReleaseObject> parse(String manifest) {
    List<ReleaseObject> objects = new ArrayList<>();
    if (manifest == null || manifest.isBlank()) {
      return objects;
    }
    int index = 0;
    for (String document : SEPARATOR.split(manifest.strip(), -1)) {
      if (document.isBlank()) {
        continue;
      }
      index++;
      String source = sourceOf(document);
      JsonNode node = read(document, index, source);
      if (node == null || node.isMissingNode() || node.isNull()) {
        continue;
      }
      addObjects(node, index, source, objects);
    }
    return objects;
  }

  /**
   * The CustomResourceDefinitions in {@code manifest} as parsed maps, for what their specs say
   * (e.g. scope); documents that do not parse are skipped here, {@link #parse} reports them.
   */
  public static List<Map<String, Object>> customResourceDefinitions(String manifest) {
    List<Map<String, Object>> crds = new ArrayList<>();
    if (manifest == null || manifest.isBlank()) {
      return crds;
    }
    for (String document : SEPARATOR.split(manifest.strip(), -1)) {
      if (!document.contains("CustomResourceDefinition")) {
        continue;
      }
      try {
        JsonNode node = YAML.readTree(document);
        if (node != null
            && node.isObject()
            && "CustomResourceDefinition".equals(text(node.get("kind")))) {
          crds.add(YAML.convertValue(node, MAP));
        }
      } catch (JsonProcessingException | IllegalArgumentException e) {
        // parse() names the broken document when the release's objects are read.
      }
    }
    return crds;
  }

  private static String sourceOf(String document) {
    Matcher matcher = SOURCE.matcher(document);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static JsonNode read(String document, int index, String source) {
    try {
      return YAML.readTree(document);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          where(index, source) + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  private static void addObjects(
      JsonNode node, int index, String source, List<ReleaseObject> objects) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          where(index, source) + " is not a Kubernetes object (a YAML mapping)");
    }
    String kind = text(node.get("kind"));
    // A List is not an object in the cluster; Helm deletes its items one by one.
    if (kind != null && kind.endsWith("List") && node.path("items").isArray()) {
      for (JsonNode item : node.get("items")) {
        addObjects(item, index, source, objects);
      }
      return;
    }
    JsonNode metadata = node.path("metadata");
    String name = text(metadata.get("name"));
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException(where(index, source) + " has no kind");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          where(index, source) + " (" + kind + ") has no metadata.name");
    }
    String namespace = text(metadata.get("namespace"));
    objects.add(
        new ReleaseObject(
            text(node.get("apiVersion")),
            kind,
            namespace == null || namespace.isBlank() ? null : namespace,
            name,
            stringMap(metadata.get("labels")),
            stringMap(metadata.get("annotations")),
            source));
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      // Unquoted YAML values such as `true` or `1` are still strings to Kubernetes.
      node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText("")));
    }
    return map;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String where(int index, String source) {
    return "manifest document " + index + (source == null ? "" : " (source: " + source + ")");
  }
}
