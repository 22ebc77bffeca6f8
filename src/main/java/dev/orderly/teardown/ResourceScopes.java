package dev.orderly.teardown;

import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ManifestObjects;
import dev.orderly.helm.ReleaseObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which kinds are cluster-scoped, so they are shown and deleted without a namespace: the built-in
 * kinds {@link KindPhases} knows, and the kinds named here. A custom resource's scope is only known
 * from its CRD (the chart's {@code crds/} or {@code templates/}, or the release's manifest) or from
 * the cluster's discovery, so a custom kind named in neither counts as namespaced, as Helm's client
 * treats it without a cluster.
 *
 * @param clusterScopedKinds {@code group/Kind} keys, see {@link #key}
 */
public record ResourceScopes(Set<String> clusterScopedKinds) {

  /** Nothing known beyond the built-in kinds. */
  public static final ResourceScopes BUILT_IN = new ResourceScopes(Set.of());

  public ResourceScopes {
    clusterScopedKinds = Set.copyOf(clusterScopedKinds);
  }

  /** The key of a kind in an API group, e.g. {@code example.com/Gizmo}. */
  public static String key(String group, String kind) {
    return (group == null ? "" : group) + "/" + kind;
  }

  /** These cluster-scoped kinds, given as {@link #key}s. */
  public static ResourceScopes of(Collection<String> clusterScopedKeys) {
    return new ResourceScopes(Set.copyOf(clusterScopedKeys));
  }

  /** The cluster-scoped kinds these CustomResourceDefinitions (parsed YAML maps) define. */
  public static ResourceScopes ofCrds(Collection<Map<String, Object>> crds) {
    Set<String> keys = new HashSet<>();
    crds.forEach(crd -> clusterScopedKindOf(crd).ifPresent(keys::add));
    return new ResourceScopes(keys);
  }

  /**
   * The kind a CustomResourceDefinition (as a parsed YAML map) defines, as a {@link #key}, when its
   * {@code spec.scope} is {@code Cluster}.
   */
  public static Optional<String> clusterScopedKindOf(Map<String, Object> crd) {
    if (!(crd.get("spec") instanceof Map<?, ?> spec)
        || !"Cluster".equals(spec.get("scope"))
        || !(spec.get("names") instanceof Map<?, ?> names)
        || !(names.get("kind") instanceof String kind)
        || !(spec.get("group") instanceof String group)) {
      return Optional.empty();
    }
    return Optional.of(key(group, kind));
  }

  /**
   * The apiVersions of the record's custom resources, hooks whose manifests parse included: what to
   * ask the cluster's discovery about. Empty for a release of built-in kinds only, which needs no
   * asking.
   */
  private static Set<String> customApiVersionsOf(HelmReleaseRecord record) {
    Set<String> apiVersions = new TreeSet<>();
    List<ReleaseObject> objects = new ArrayList<>(record.objects());
    for (HelmHook hook : record.hooks()) {
      try {
        objects.addAll(ManifestObjects.parse(hook.manifest()));
      } catch (IllegalArgumentException e) {
        // A hook that does not parse is never created, so its scope never matters; the planner
        // reports it when it is one the teardown would run.
      }
    }
    for (ReleaseObject object : objects) {
      if (object.apiVersion() != null && KindPhases.isCustomResource(object.apiVersion())) {
        apiVersions.add(object.apiVersion());
      }
    }
    return apiVersions;
  }

  /**
   * The scopes {@code discover} (the cluster's discovery) reports for the record's custom kinds,
   * given their apiVersions; not asked at all when the record has no custom resources.
   */
  public static ResourceScopes discovered(
      HelmReleaseRecord record, Function<Set<String>, Set<String>> discover) {
    Set<String> apiVersions = customApiVersionsOf(record);
    return apiVersions.isEmpty() ? BUILT_IN : of(discover.apply(apiVersions));
  }

  /** Whether objects of this apiVersion and kind live outside any namespace. */
  public boolean isClusterScoped(String apiVersion, String kind) {
    return clusterScopedKinds.contains(key(ReleaseObject.groupOf(apiVersion), kind))
        || KindPhases.isClusterScoped(apiVersion, kind);
  }

  /** What both know. */
  public ResourceScopes and(ResourceScopes other) {
    Set<String> both = new HashSet<>(clusterScopedKinds);
    both.addAll(other.clusterScopedKinds);
    return new ResourceScopes(both);
  }

  /**
   * The namespace an object is shown and deleted in: none when cluster-scoped (the API server
   * ignores one), else its own, else the release's, as Helm's client does.
   */
  public String namespaceFor(
      String apiVersion, String kind, String namespace, String releaseNamespace) {
    if (isClusterScoped(apiVersion, kind)) {
      return null;
    }
    return namespace == null || namespace.isEmpty() ? releaseNamespace : namespace;
  }
}
