package dev.orderly.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The plain manifests in {@code operator/}: what the chart renders with its default values for
 * release {@code orderly} in namespace {@code orderly-system}, one file per chart template, plus a
 * Namespace, a copy of the CRD and a {@code kustomization.yaml} listing them all.
 *
 * <p>They differ from the render only in leaving out {@link #HELM_ONLY_LABELS}: labels that say
 * Helm manages the object and which chart version made it, which would be false for objects applied
 * with kubectl.
 */
final class OperatorManifests {
  static final Path DIRECTORY = Path.of("operator");
  static final String KUSTOMIZATION = "kustomization.yaml";
  static final String NAMESPACE_FILE = "namespace.yaml";
  static final Set<String> HAND_WRITTEN = Set.of("README.md");
  static final Set<String> HELM_ONLY_LABELS =
      Set.of("helm.sh/chart", "app.kubernetes.io/managed-by");
  static final String UPDATE_PROPERTY = "orderly.updateManifests";

  private static final String HEADER =
      """
      # Generated from charts/orderly (default values, release orderly, namespace orderly-system).
      # Do not edit: change the chart, then regenerate as operator/README.md shows.
      """;
  private static final String NAMESPACE =
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: orderly-system
        labels:
          # The operator's pod meets the restricted Pod Security Standard.
          pod-security.kubernetes.io/enforce: restricted
      """;
  private static final Pattern HELM_ONLY_LABEL_LINE =
      Pattern.compile("^\\s+(helm\\.sh/chart|app\\.kubernetes\\.io/managed-by):.*$");
  private static final Pattern SOURCE_LINE = Pattern.compile("^# Source: .*$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private OperatorManifests() {}

  /**
   * The text of every file {@code operator/} should hold, by file name, from the chart's default
   * render; the CRD copy is not among them, it is copied byte for byte.
   */
  static Map<String, String> generate(String rendered) {
    Map<String, List<String>> byTemplate = new TreeMap<>();
    for (Manifest.Document document : Manifest.parse(rendered).documents()) {
      String file = Path.of(document.source()).getFileName().toString();
      byTemplate.computeIfAbsent(file, f -> new ArrayList<>()).add(plainText(document.text()));
    }
    Map<String, String> files = new TreeMap<>();
    byTemplate.forEach((file, texts) -> files.put(file, HEADER + String.join("---\n", texts)));
    files.put(NAMESPACE_FILE, HEADER + NAMESPACE);
    List<String> resources = new ArrayList<>();
    resources.add(NAMESPACE_FILE);
    resources.add(crdFileName());
    resources.addAll(byTemplate.keySet());
    files.put(KUSTOMIZATION, kustomization(resources));
    return files;
  }

  /** The render's object as {@code operator/} holds it: without the Helm-only labels. */
  static ObjectNode plain(ObjectNode rendered) {
    ObjectNode copy = rendered.deepCopy();
    JsonNode labels = copy.path("metadata").path("labels");
    if (labels instanceof ObjectNode labelMap) {
      labelMap.remove(HELM_ONLY_LABELS);
      if (labelMap.isEmpty()) {
        ((ObjectNode) copy.get("metadata")).remove("labels");
      }
    }
    return copy;
  }

  /** The Namespace object {@code operator/} creates, which the chart leaves to Helm. */
  static ObjectNode namespace() {
    return Manifest.parse(NAMESPACE).documents().get(0).object();
  }

  /** The files {@code kustomization.yaml} lists under {@code resources}. */
  static List<String> kustomizationResources() {
    try {
      JsonNode kustomization = YAML.readTree(DIRECTORY.resolve(KUSTOMIZATION).toFile());
      List<String> resources = new ArrayList<>();
      kustomization.path("resources").forEach(resource -> resources.add(resource.asText()));
      return resources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every object the files listed in {@code kustomization.yaml} hold, in one manifest. */
  static Manifest read() {
    List<Manifest.Document> documents = new ArrayList<>();
    for (String resource : kustomizationResources()) {
      documents.addAll(Manifest.parse(readString(DIRECTORY.resolve(resource))).documents());
    }
    return new Manifest(documents);
  }

  /** The names of the files in {@code operator/}. */
  static Set<String> files() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String crdFileName() {
    return OrderlyChart.CRD_FILE.getFileName().toString();
  }

  /**
   * Rewrites {@code operator/} from {@code rendered} and refreshes both CRD copies: removes the
   * files it generated before (a template may be gone), then writes the new ones.
   */
  static void write(String rendered) throws IOException {
    Files.createDirectories(DIRECTORY);
    for (String file : files()) {
      Path path = DIRECTORY.resolve(file);
      if (readString(path).startsWith(HEADER)) {
        Files.delete(path);
      }
    }
    for (Map.Entry<String, String> file : generate(rendered).entrySet()) {
      Files.writeString(DIRECTORY.resolve(file.getKey()), file.getValue());
    }
    Files.copy(
        OrderlyChart.CRD_FILE,
        DIRECTORY.resolve(crdFileName()),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        OrderlyChart.CRD_FILE,
        OrderlyChart.DIRECTORY.resolve("crds").resolve(crdFileName()),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static String plainText(String documentText) {
    String kept =
        documentText
            .lines()
            .filter(line -> !SOURCE_LINE.matcher(line).matches())
            .filter(line -> !HELM_ONLY_LABEL_LINE.matcher(line).matches())
            .collect(Collectors.joining("\n"));
    return kept.strip() + "\n";
  }

  private static String kustomization(List<String> resources) {
    StringBuilder text = new StringBuilder(HEADER);
    text.append("# Install with: kubectl apply -k operator/\n")
        .append("apiVersion: kustomize.config.k8s.io/v1beta1\n")
        .append("kind: Kustomization\n")
        .append("resources:\n");
    resources.forEach(resource -> text.append("  - ").append(resource).append('\n'));
    return text.toString();
  }

  private static String readString(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
