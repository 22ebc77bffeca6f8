package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which kinds get no namespace: built-ins by table, custom kinds as their CRDs say. */
class ResourceScopesTest {

  private static final ResourceScopes KNOWN =
      ResourceScopes.ofCrds(
              List.of(
                  crd("example.com", "Gizmo", "Cluster"),
                  crd("example.com", "Widget", "Namespaced")))
          .and(ResourceScopes.of(List.of("discovered.example.com/Fleet")));

  @ParameterizedTest
  @CsvSource({
    "v1, ConfigMap, team, team",
    "v1, ConfigMap, , apps",
    "v1, Namespace, team, ",
    "rbac.authorization.k8s.io/v1, ClusterRole, , ",
    "example.com/v1, Gizmo, team, ",
    "example.com/v2, Gizmo, , ",
    "example.com/v1, Widget, , apps",
    "discovered.example.com/v1alpha1, Fleet, , ",
    // Same kind name, other group: nothing says it is cluster-scoped.
    "other.example.com/v1, Gizmo, , apps",
    "unknown.example.com/v1, Thing, team, team",
  })
  void namespaceIsNoneForClusterScopedKindsElseTheObjectsOrTheReleases(
      String apiVersion, String kind, String namespace, String expected) {
    assertThat(KNOWN.namespaceFor(apiVersion, kind, namespace, "apps")).isEqualTo(expected);
    assertThat(KNOWN.isClusterScoped(apiVersion, kind)).isEqualTo(expected == null);
  }

  @ParameterizedTest
  @CsvSource({"example.com/v1, Gizmo", "discovered.example.com/v1, Fleet"})
  void withoutKnowledgeACustomKindIsNamespaced(String apiVersion, String kind) {
    assertThat(ResourceScopes.BUILT_IN.namespaceFor(apiVersion, kind, null, "apps"))
        .isEqualTo("apps");
  }

  private static Map<String, Object> crd(String group, String kind, String scope) {
    return Map.of(
        "apiVersion", "apiextensions.k8s.io/v1",
        "kind", "CustomResourceDefinition",
        "spec", Map.of("group", group, "scope", scope, "names", Map.of("kind", kind)));
  }
}
