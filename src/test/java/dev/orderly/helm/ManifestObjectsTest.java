package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestObjectsTest {
  static Stream<Arguments> manifests() {
    return Stream.of(
        Arguments.of(
            "Helm's layout: leading separator and Source comments",
            """
            ---
            # Source: chart/templates/cm.yaml
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: one
            ---
            # Source: chart/templates/ds.yaml
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: two
              namespace: other
            """,
            List.of(
                "v1 ConfigMap null/one chart/templates/cm.yaml",
                "apps/v1 DaemonSet other/two chart/templates/ds.yaml")),
        Arguments.of(
            "empty and comment-only documents are skipped",
            """
            ---
            ---
            # Source: chart/templates/empty.yaml
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            ---   \s
            """,
            List.of("v1 Service null/svc null")),
        Arguments.of(
            "separator with trailing spaces and no Source",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n---  \napiVersion: v1\n"
                + "kind: Secret\nmetadata:\n  name: t\n",
            List.of("v1 Secret null/s null", "v1 Secret null/t null")),
        Arguments.of(
            "a List is flattened into its items",
            """
            # Source: chart/templates/list.yaml
            apiVersion: v1
            kind: List
            items:
              - apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: r}
              - apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: rb, namespace: x}
            """,
            List.of(
                "rbac.authorization.k8s.io/v1 Role null/r chart/templates/list.yaml",
                "rbac.authorization.k8s.io/v1 RoleBinding x/rb chart/templates/list.yaml")),
        Arguments.of(
            "a block scalar holding --- is not a separator",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: script}
            data:
              run.sh: |
                echo start
                ---
                echo end
            """,
            List.of("v1 ConfigMap null/script null")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifests")
  void splitsManifests(String description, String manifest, List<String> expected) {
    assertThat(ManifestObjects.parse(manifest))
        .extracting(
            o ->
                o.apiVersion()
                    + " "
                    + o.kind()
                    + " "
                    + o.namespace()
                    + "/"
                    + o.name()
                    + " "
                    + o.source())
        .containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  \n", "---\n---\n", "# just a comment\n"})
  void nothingToParseGivesNoObjects(String manifest) {
    assertThat(ManifestObjects.parse(manifest)).isEmpty();
  }

  @Test
  void readsLabelsAndAnnotationsAsStrings() {
    ReleaseObject object =
        ManifestObjects.parse(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cm
                  labels: {app: x, tier: "1"}
                  annotations:
                    helm.sh/resource-policy: keep
                    example.com/enabled: true
                    example.com/count: 3
                """)
            .get(0);

    assertThat(object.labels()).containsExactly(Map.entry("app", "x"), Map.entry("tier", "1"));
    assertThat(object.annotations())
        .containsEntry("helm.sh/resource-policy", "keep")
        .containsEntry("example.com/enabled", "true")
        .containsEntry("example.com/count", "3");
    assertThat(object.hasResourcePolicy()).isTrue();
  }

  static Stream<Arguments> malformedManifests() {
    return Stream.of(
        Arguments.of(
            "---\n# Source: c/t.yaml\nkind: [unclosed",
            "manifest document 1 (source: c/t.yaml) is not valid YAML"),
        Arguments.of(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\n- just\n- a list",
            "manifest document 2 is not a Kubernetes object"),
        Arguments.of("apiVersion: v1\nmetadata: {name: x}", "manifest document 1 has no kind"),
        Arguments.of(
            "# Source: c/u.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {}",
            "manifest document 1 (source: c/u.yaml) (ConfigMap) has no metadata.name"));
  }

  @ParameterizedTest
  @MethodSource("malformedManifests")
  void malformedDocumentsAreNamed(String manifest, String message) {
    assertThatThrownBy(() -> ManifestObjects.parse(manifest))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "keep, true, true",
        "' Keep ', true, false",
        "KEEP, true, false",
        // Helm 3.21's uninstall keeps an object with the annotation whatever its value.
        "kepp, true, false",
        "delete, true, false",
        "'', true, false",
        "null, false, false"
      })
  void anyResourcePolicyKeepsTheObjectAsHelmsUninstallDoes(
      String value, boolean kept, boolean exactKeep) {
    ReleaseObject object = ReleaseObject.of("v1", "ConfigMap", null, "cm");
    if (value != null) {
      object = object.withAnnotation(ReleaseObject.RESOURCE_POLICY, value);
    }

    assertThat(object.hasResourcePolicy()).isEqualTo(kept);
    assertThat(object.resourcePolicy()).isEqualTo(value);
    assertThat(ReleaseObject.isExactKeep(value)).isEqualTo(exactKeep);
  }

  @Test
  void anEmptyResourcePolicyStillCounts() {
    ReleaseObject object =
        ManifestObjects.parse(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations:\n"
                    + "    helm.sh/resource-policy:\n")
            .get(0);

    assertThat(object.hasResourcePolicy()).as("a null value is present, as in Helm").isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "v1, ''",
        "apps/v1, apps",
        "gateway.networking.k8s.io/v1, gateway.networking.k8s.io",
        "null, ''"
      })
  void groupIsThePartBeforeTheSlash(String apiVersion, String group) {
    assertThat(ReleaseObject.groupOf(apiVersion)).isEqualTo(group);
  }
}
