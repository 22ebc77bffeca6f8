package dev.orderly.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checked-in CRD: the generator's output with the printer columns in the order {@link
 * OrderedRelease} declares them. The generator sorts columns by JSONPath, which would put AGE
 * first; kubectl shows them in the CRD's order. Only the column list is moved, line for line, so
 * the rest stays exactly what the generator wrote.
 */
final class CrdFile {
  static final String NAME = "orderedreleases.orderly.dev-v1.yml";

  /** Where the CRD is checked in, and its byte-identical copies. */
  static final List<Path> LOCATIONS =
      List.of(Path.of("crds"), Path.of("charts/orderly/crds"), Path.of("operator"));

  private static final String COLUMNS_START = "  - additionalPrinterColumns:\n";
  private static final String COLUMN_START = "    - ";
  private static final Pattern COLUMN_NAME = Pattern.compile("(?m)^      name: \"([^\"]+)\"$");

  private CrdFile() {}

  /** The generated CRD text as the build wrote it. */
  static String generated() throws IOException {
    // The generator writes into the build's classes directory, which is on the test classpath.
    return Files.readString(generatedPath());
  }

  static Path generatedPath() {
    return Path.of(System.getProperty("orderly.classesDir", "target/classes"))
        .resolve("META-INF/fabric8")
        .resolve(NAME);
  }

  /** {@code generated} with its printer columns in the declared order. */
  static String withDeclaredColumnOrder(String generated) {
    int start = generated.indexOf(COLUMNS_START);
    if (start < 0) {
      throw new IllegalStateException("the generated CRD has no additionalPrinterColumns");
    }
    start += COLUMNS_START.length();
    int end = start;
    while (generated.startsWith(COLUMN_START, end) || generated.startsWith("      ", end)) {
      end = generated.indexOf('\n', end) + 1;
    }
    List<String> columns = new ArrayList<>();
    for (int at = start; at < end; ) {
      int next = generated.indexOf("\n" + COLUMN_START, at) + 1;
      if (next == 0 || next > end) {
        next = end;
      }
      columns.add(generated.substring(at, next));
      at = next;
    }
    List<String> declared = declaredNames();
    columns.sort(Comparator.comparingInt(column -> position(declared, column)));
    return generated.substring(0, start) + String.join("", columns) + generated.substring(end);
  }

  private static List<String> declaredNames() {
    return Arrays.stream(OrderedRelease.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name)
        .toList();
  }

  private static int position(List<String> declared, String column) {
    Matcher name = COLUMN_NAME.matcher(column);
    if (!name.find() || !declared.contains(name.group(1))) {
      throw new IllegalStateException(
          "a printer column OrderedRelease does not declare:\n" + column);
    }
    return declared.indexOf(name.group(1));
  }
}
