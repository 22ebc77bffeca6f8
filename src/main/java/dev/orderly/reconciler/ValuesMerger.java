package dev.orderly.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Merges values the way Helm merges values files: maps deeply, everything else replaced. */
public final class ValuesMerger {
  private ValuesMerger() {}

  /** Merges {@code layers} in order; a later layer wins. Null layers are skipped. */
  public static ObjectNode merge(List<JsonNode> layers) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    for (JsonNode layer : layers) {
      if (layer != null && layer.isObject()) {
        mergeInto(result, (ObjectNode) layer);
      }
    }
    return result;
  }

  private static void mergeInto(ObjectNode target, ObjectNode source) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = target.get(field.getKey());
      if (existing != null && existing.isObject() && field.getValue().isObject()) {
        mergeInto((ObjectNode) existing, (ObjectNode) field.getValue());
      } else {
        target.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }
}
