package dev.orderly.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code operator/} and the chart's CRD copy in step with {@code charts/orderly} and {@code
 * crds/}.
 *
 * <p>{@code operator/} must hold exactly the objects {@code helm template orderly charts/orderly -n
 * orderly-system} renders with default values, compared as parsed objects, so comments, key order
 * and quoting do not matter. Two things differ on purpose: the labels in {@link
 * OperatorManifests#HELM_ONLY_LABELS} are left out (kubectl, not Helm, manages these objects), and
 * {@code operator/} adds the Namespace and the CRD, which Helm creates itself ({@code
 * --create-namespace}, the chart's {@code crds/}).
 *
 * <p>Run with {@code -Dorderly.updateManifests=true} to regenerate {@code operator/} and the CRD
 * copies first; the assertions then check what was written.
 */
class OperatorManifestsTest {
  private static String rendered;

  @BeforeAll
  static void renderTheChart() throws IOException {
    rendered = OrderlyChart.templateWithDefaults();
    if (Boolean.getBoolean(OperatorManifests.UPDATE_PROPERTY)) {
      OperatorManifests.write(rendered);
    }
  }

  @Test
  void operatorManifestsHoldExactlyWhatTheChartRenders() throws IOException {
    Map<String, ObjectNode> expected = new TreeMap<>();
    for (Manifest.Document document : Manifest.parse(rendered).documents()) {
      expected.put(document.id(), OperatorManifests.plain(document.object()));
    }
    addById(expected, OperatorManifests.namespace());
    addById(
        expected,
        Manifest.parse(Files.readString(OrderlyChart.CRD_FILE)).documents().get(0).object());

    Map<String, ObjectNode> actual = new TreeMap<>();
    for (Manifest.Document document : OperatorManifests.read().documents()) {
      assertThat(actual.put(document.id(), document.object()))
          .as("%s appears twice in operator/", document.id())
          .isNull();
    }

    assertThat(actual.keySet())
        .as("objects in operator/ (%s)", regenerateHint())
        .containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (id, object) ->
            assertThat(actual.get(id))
                .as("%s in operator/ differs from the chart's render (%s)", id, regenerateHint())
                .isEqualTo(object));
  }

  @Test
  void kustomizationListsEveryManifestFileAndNothingElse() {
    Set<String> listed = new HashSet<>(OperatorManifests.kustomizationResources());
    Set<String> expected = new HashSet<>(listed);
    expected.add(OperatorManifests.KUSTOMIZATION);
    expected.addAll(OperatorManifests.HAND_WRITTEN);

    assertThat(OperatorManifests.files()).as(regenerateHint()).isEqualTo(expected);
    assertThat(listed)
        .contains(OperatorManifests.NAMESPACE_FILE, OperatorManifests.crdFileName())
        .hasSize(OperatorManifests.kustomizationResources().size());
  }

  @Test
  void everyNamespacedObjectLandsInTheOperatorNamespace() {
    Manifest manifests = OperatorManifests.read();

    assertThat(manifests.documents())
        .filteredOn(d -> !d.namespace().isEmpty())
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.namespace()).isEqualTo(OrderlyChart.NAMESPACE));
    assertThat(manifests.get("Namespace", "", OrderlyChart.NAMESPACE).at("/metadata/labels"))
        .hasToString("{\"pod-security.kubernetes.io/enforce\":\"restricted\"}");
  }

  @Test
  void chartCrdIsAByteIdenticalCopy() throws IOException {
    assertIdenticalToTheCrd(OrderlyChart.DIRECTORY.resolve("crds"));
  }

  @Test
  void operatorCrdIsAByteIdenticalCopy() throws IOException {
    assertIdenticalToTheCrd(OperatorManifests.DIRECTORY);
  }

  private static void assertIdenticalToTheCrd(Path directory) throws IOException {
    Path copy = directory.resolve(OperatorManifests.crdFileName());
    assertThat(Files.mismatch(copy, OrderlyChart.CRD_FILE))
        .as(
            "first byte where %s differs from %s (%s)",
            copy, OrderlyChart.CRD_FILE, regenerateHint())
        .isEqualTo(-1L);
    try (var files = Files.list(directory)) {
      assertThat(files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")))
          .as("CRD files in %s", directory)
          .filteredOn(f -> Files.isRegularFile(f) && isCrd(f))
          .containsExactly(copy);
    }
  }

  private static boolean isCrd(Path file) {
    try {
      return Manifest.parse(Files.readString(file)).all("CustomResourceDefinition").size() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void addById(Map<String, ObjectNode> objects, ObjectNode object) {
    objects.put(new Manifest.Document("", "", object).id(), object);
  }

  private static String regenerateHint() {
    return "regenerate: mvn test -Dtest=OperatorManifestsTest -D"
        + OperatorManifests.UPDATE_PROPERTY
        + "=true";
  }
}
