package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.orderly.chart.RenderedObject;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.ReleaseObject;
import dev.orderly.teardown.ManifestSorter;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rendered-object conversion {@code plan} uses follows Helm's manifest sorter: which objects
 * are hooks, which are dropped, and how events, weights and delete policies are read.
 */
class ManifestSorterTest {

  @Test
  void plainObjectsBecomeReleaseObjectsAsAStoredManifestWouldBeRead() {
    Map<String, Object> list =
        Map.of(
            "apiVersion", "v1",
            "kind", "List",
            "items",
                List.of(
                    Map.of(
                        "apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "a")),
                    Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "b"))));
    RenderedObject blankNamespace = object("ConfigMap", "c", Map.of());

    ManifestSorter.Sorted sorted =
        ManifestSorter.sort(
            List.of(rendered("v1", "List", "", "", Map.of(), list), blankNamespace));

    assertThat(sorted.objects())
        .extracting(
            ReleaseObject::kind,
            ReleaseObject::name,
            ReleaseObject::namespace,
            ReleaseObject::source)
        .containsExactly(
            tuple("ConfigMap", "a", null, "app/templates/x.yaml"),
            tuple("Secret", "b", null, "app/templates/x.yaml"),
            tuple("ConfigMap", "c", null, "app/templates/x.yaml"));
    assertThat(sorted.hooks()).isEmpty();
    assertThat(sorted.dropped()).isEmpty();
  }

  @Test
  void eventsAreTrimmedAndLowerCasedAndTestSuccessIsTest() {
    HelmHook hook =
        onlyHook(
            object("Job", "j", Map.of("helm.sh/hook", " Pre-Delete ,POST-DELETE,test-success")));

    assertThat(hook.events()).containsExactly("pre-delete", "post-delete", "test");
    assertThat(hook.path()).isEqualTo("app/templates/x.yaml");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      value = {"post-install, pre-uninstall", "pre-delete,", "''", "crd-install"})
  void anUnknownEventDropsTheObject(String events) {
    RenderedObject object = object("Job", "j", Map.of("helm.sh/hook", events));

    ManifestSorter.Sorted sorted = ManifestSorter.sort(List.of(object));

    assertThat(sorted.dropped()).containsExactly(object);
    assertThat(sorted.hooks()).isEmpty();
    assertThat(sorted.objects()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Helm.sh/hook", "HELM.SH/HOOK", "helm.sh/Hook"})
  void aHookKeyInTheWrongCaseIsAnOrdinaryObject(String key) {
    RenderedObject object = object("Job", "j", Map.of(key, "pre-delete"));

    ManifestSorter.Sorted sorted = ManifestSorter.sort(List.of(object));

    assertThat(sorted.hooks()).as("Helm's keys are case-sensitive").isEmpty();
    assertThat(sorted.objects())
        .extracting(o -> o.kind() + "/" + o.name())
        .containsExactly("Job/j");
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "-3 | -3",
        "+4 | 4",
        "' 5' | 0",
        "5.0 | 0",
        "first | 0",
        "99999999999999999999 | 0",
        "\u0663 | 0",
        // Go's int is 64 bits: no wrap-around past 32 bits.
        "3000000000 | 3000000000",
        "-3000000000 | -3000000000",
        "2147483648 | 2147483648",
        "9223372036854775807 | 9223372036854775807",
        "-9223372036854775808 | -9223372036854775808",
        "9223372036854775808 | 0",
      })
  void weightIsGoAtoiOrZero(String weight, long expected) {
    HelmHook hook =
        onlyHook(
            object(
                "Job", "j", Map.of("helm.sh/hook", "pre-delete", "helm.sh/hook-weight", weight)));

    assertThat(hook.weight()).isEqualTo(expected);
  }

  @Test
  void deletePoliciesAreStoredAsHelmStoresThemUnknownOnesIncluded() {
    HelmHook withPolicies =
        onlyHook(
            object(
                "Job",
                "j",
                Map.of(
                    "helm.sh/hook", "pre-delete",
                    "helm.sh/hook-delete-policy", " Hook-Succeeded ,hook-succeded,")));
    HelmHook without = onlyHook(object("Job", "k", Map.of("helm.sh/hook", "pre-delete")));

    assertThat(withPolicies.deletePolicies())
        .containsExactly("hook-succeeded", "hook-succeded", "");
    assertThat(without.deletePolicies()).isEmpty();
    assertThat(without.effectiveDeletePolicies()).containsExactly(HelmHook.BEFORE_HOOK_CREATION);
  }

  @Test
  void theHookManifestIsTheWholeObject() throws IOException {
    RenderedObject job = object("Job", "j", Map.of("helm.sh/hook", "pre-delete"));

    HelmHook hook = onlyHook(job);

    YAMLMapper yaml = new YAMLMapper();
    assertThat(yaml.readTree(hook.manifest())).isEqualTo(yaml.valueToTree(job.object()));
    assertThat(hook.manifest()).doesNotStartWith("---");
  }

  private static HelmHook onlyHook(RenderedObject object) {
    ManifestSorter.Sorted sorted = ManifestSorter.sort(List.of(object));
    assertThat(sorted.hooks()).hasSize(1);
    return sorted.hooks().get(0);
  }

  private static RenderedObject object(String kind, String name, Map<String, String> annotations) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("annotations", annotations);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("apiVersion", kind.equals("Job") ? "batch/v1" : "v1");
    body.put("kind", kind);
    body.put("metadata", metadata);
    return rendered(kind.equals("Job") ? "batch/v1" : "v1", kind, "", name, annotations, body);
  }

  private static RenderedObject rendered(
      String apiVersion,
      String kind,
      String namespace,
      String name,
      Map<String, String> annotations,
      Map<String, Object> body) {
    return new RenderedObject(
        apiVersion, kind, namespace, name, Map.of(), annotations, "app/templates/x.yaml", body);
  }
}
