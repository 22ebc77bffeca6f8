package dev.orderly.chart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Kubernetes object as the chart's templates render it, hooks included, with the original
 * {@code helm.sh/hook*} annotations. Missing string fields are empty, never null.
 *
 * @param namespace {@code metadata.namespace} as rendered; empty when the template sets none, in
 *     which case Helm uses the release namespace for namespaced kinds
 * @param sourcePath the template that produced it, as in Helm's {@code # Source:} comment, e.g.
 *     {@code my-chart/templates/job.yaml} or {@code my-chart/charts/sub/templates/job.yaml}
 * @param object the whole object as parsed from YAML (nested maps, lists and scalars)
 */
public record RenderedObject(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    String sourcePath,
    Map<String, Object> object) {

  /** Copies the maps; only the top level of {@code object} is made unmodifiable. */
  public RenderedObject {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    // YAML allows null values, which Map.copyOf rejects; keep the document's key order too.
    object = Collections.unmodifiableMap(new LinkedHashMap<>(object));
  }

  /** Whether the object carries a {@code helm.sh/hook} annotation, valid or not. */
  public boolean isHook() {
    return annotations.containsKey(HelmHookAnnotations.HOOK);
  }

  /** {@code Kind/name}, the way findings and logs refer to the object. */
  public String displayName() {
    return kind + "/" + name;
  }
}
