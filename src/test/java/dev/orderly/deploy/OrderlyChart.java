package dev.orderly.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.orderly.helm.JvmSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The operator's own chart, {@code charts/orderly}, rendered and linted with helm-java. */
final class OrderlyChart {
  static final Path DIRECTORY = Path.of("charts/orderly");
  static final Path CRD_FILE = Path.of("crds/orderedreleases.orderly.dev-v1.yml");
  static final String RELEASE = "orderly";
  static final String NAMESPACE = "orderly-system";

  private OrderlyChart() {}

  /** {@code helm template orderly charts/orderly -n orderly-system} with the default values. */
  static String templateWithDefaults() {
    try {
      return new Helm(DIRECTORY).template().withName(RELEASE).withNamespace(NAMESPACE).call();
    } finally {
      // Helm's install path, which template runs, takes SIGTERM away from the JVM.
      JvmSignals.reclaim();
    }
  }

  /** Renders with {@code values} (YAML) on top of the defaults and parses the result. */
  static Manifest render(String values) {
    Path file = null;
    try {
      file = Files.createTempFile("orderly-values", ".yaml");
      Files.writeString(file, values);
      return Manifest.parse(
          new Helm(DIRECTORY)
              .template()
              .withName(RELEASE)
              .withNamespace(NAMESPACE)
              .withValuesFile(file)
              .call());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      JvmSignals.reclaim();
      deleteQuietly(file);
    }
  }

  /** {@code helm lint --strict}: warnings count as failures. */
  static LintResult lint() {
    return new Helm(DIRECTORY).lint().strict().call();
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover values file in the build's temp dir harms nothing
    }
  }
}
