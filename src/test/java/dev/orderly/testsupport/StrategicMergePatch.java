package dev.orderly.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch without the server's schema: maps merge, and a list is merged by key only
 * when the patch says which key through {@code $setElementOrder/<list>}, as the three-way patches
 * of client-go (Helm upgrades) do. Any other list replaces the stored one. See {@link
 * HelmCompatibleDispatcher}.
 */
final class StrategicMergePatch {

  private static final String PATCH = "$patch";
  private static final String ORDER = "$setElementOrder/";
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
  private static final String RETAIN_KEYS = "$retainKeys";

  private StrategicMergePatch() {}

  /** Applies {@code patch} to a copy of {@code target}. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if ("replace".equals(patch.path(PATCH).asText())) {
      return withoutDirectives(patch);
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith("$")) {
        continue;
      }
      if (value.isNull() || "delete".equals(value.path(PATCH).asText())) {
        result.remove(name);
      } else if (value.isArray()) {
        result.set(name, list(result.get(name), value, patch.get(ORDER + name)));
      } else {
        result.set(name, apply(result.get(name), value));
      }
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getKey().startsWith(DELETE_FROM)) {
        String list = field.getKey().substring(DELETE_FROM.length());
        result.set(list, without(result.get(list), values(field.getValue())));
      }
    }
    if (patch.has(RETAIN_KEYS)) {
      result.retain(values(patch.get(RETAIN_KEYS)));
    }
    return result;
  }

  private static JsonNode list(JsonNode current, JsonNode patch, JsonNode order) {
    if (order == null || !order.isArray() || order.isEmpty()) {
      ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
      patch.forEach(
          element -> {
            if (!element.has(PATCH)) {
              replaced.add(withoutDirectives(element));
            }
          });
      return replaced;
    }
    if (!order.get(0).isObject()) {
      // A merged primitive list (finalizers): the order names every value the patch wants.
      ArrayNode merged = order.deepCopy();
      Set<String> present = values(order);
      if (current != null) {
        current.forEach(
            value -> {
              if (present.add(value.asText())) {
                merged.add(value);
              }
            });
      }
      return merged;
    }
    return mergeByKey(current, patch, order, order.get(0).fieldNames().next());
  }

  private static ArrayNode mergeByKey(
      JsonNode current, JsonNode patch, JsonNode order, String key) {
    Map<String, JsonNode> stored = byKey(current, key);
    Map<String, JsonNode> patched = byKey(patch, key);
    Set<String> deleted = new HashSet<>();
    patched.forEach(
        (k, element) -> {
          if ("delete".equals(element.path(PATCH).asText())) {
            deleted.add(k);
          }
        });
    ArrayNode result = JsonNodeFactory.instance.arrayNode();
    Set<String> placed = new HashSet<>(deleted);
    for (JsonNode position : order) {
      String k = position.path(key).toString();
      if (placed.add(k) && (stored.containsKey(k) || patched.containsKey(k))) {
        result.add(patched.containsKey(k) ? apply(stored.get(k), patched.get(k)) : stored.get(k));
      }
    }
    patched.forEach(
        (k, element) -> {
          if (placed.add(k)) {
            result.add(apply(stored.get(k), element));
          }
        });
    // Elements the patch does not mention (added by someone else) stay, as Kubernetes keeps them.
    stored.forEach(
        (k, element) -> {
          if (placed.add(k)) {
            result.add(element);
          }
        });
    return result;
  }

  private static Map<String, JsonNode> byKey(JsonNode list, String key) {
    Map<String, JsonNode> elements = new LinkedHashMap<>();
    if (list != null && list.isArray()) {
      list.forEach(element -> elements.put(element.path(key).toString(), element));
    }
    return elements;
  }

  private static JsonNode without(JsonNode list, Set<String> removed) {
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    if (list != null && list.isArray()) {
      list.forEach(
          value -> {
            if (!removed.contains(value.asText())) {
              kept.add(value);
            }
          });
    }
    return kept;
  }

  private static Set<String> values(JsonNode list) {
    Set<String> values = new HashSet<>();
    if (list != null) {
      list.forEach(value -> values.add(value.asText()));
    }
    return values;
  }

  private static JsonNode withoutDirectives(JsonNode node) {
    if (node.isObject()) {
      ObjectNode clean = JsonNodeFactory.instance.objectNode();
      node.properties()
          .forEach(
              field -> {
                if (!field.getKey().startsWith("$")) {
                  clean.set(field.getKey(), withoutDirectives(field.getValue()));
                }
              });
      return clean;
    }
    if (node.isArray()) {
      ArrayNode clean = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> clean.add(withoutDirectives(element)));
      return clean;
    }
    return node;
  }
}
