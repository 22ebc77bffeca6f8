package dev.orderly.helm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identity and metadata of one object in a Helm manifest. {@code namespace} is null when the
 * manifest leaves it out (Helm then uses the release namespace for namespaced kinds); maps are
 * never null; {@code source} is the template path Helm recorded, or null.
 */
public record ReleaseObject(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    String source) {

  /** The annotation Helm reads to leave an object behind on uninstall. */
  public static final String RESOURCE_POLICY = "helm.sh/resource-policy";

  /** The {@link #RESOURCE_POLICY} value that keeps an object. */
  public static final String KEEP = "keep";

  public ReleaseObject {
    labels = copy(labels);
    annotations = copy(annotations);
  }

  /** Shorthand for an object without metadata beyond its identity. */
  public static ReleaseObject of(String apiVersion, String kind, String namespace, String name) {
    return new ReleaseObject(apiVersion, kind, namespace, name, Map.of(), Map.of(), null);
  }

  /** This object with one more annotation. */
  public ReleaseObject withAnnotation(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(annotations);
    more.put(key, value);
    return new ReleaseObject(apiVersion, kind, namespace, name, labels, more, source);
  }

  /**
   * The API group: the part of {@code apiVersion} before the slash, or "" for the core group
   * ({@code v1}).
   */
  public String group() {
    return groupOf(apiVersion);
  }

  /** The API group of an apiVersion such as {@code apps/v1} ("apps") or {@code v1} (""). */
  public static String groupOf(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /**
   * Whether Helm's uninstall leaves the object in place: it carries {@link #RESOURCE_POLICY} with
   * any value at all. Helm 3.21's filterManifestsToKeep (pkg/action/resource_policy.go) puts an
   * object with the annotation on its "kept" list when the value, trimmed and lower-cased, is keep,
   * and on neither list otherwise, so such an object is never deleted either, only not reported.
   */
  public boolean hasResourcePolicy() {
    return hasResourcePolicy(annotations);
  }

  /** {@link #hasResourcePolicy()} for the annotations of an object read from the cluster. */
  public static boolean hasResourcePolicy(Map<String, String> annotations) {
    return annotations != null && annotations.containsKey(RESOURCE_POLICY);
  }

  /** The {@link #RESOURCE_POLICY} value as written, or null when the annotation is absent. */
  public String resourcePolicy() {
    return annotations.get(RESOURCE_POLICY);
  }

  /**
   * Whether {@code value} is exactly {@link #KEEP}, the one spelling every Helm code path honours:
   * an upgrade that drops the object from the chart keeps it only then (pkg/kube/client.go compares
   * without trimming or lower-casing).
   */
  public static boolean isExactKeep(String value) {
    return KEEP.equals(value);
  }

  private static Map<String, String> copy(Map<String, String> map) {
    // Kept in manifest order so printed plans read like the chart; Map.copyOf would shuffle.
    return map == null || map.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
