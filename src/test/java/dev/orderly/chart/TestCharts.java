package dev.orderly.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Locates and copies the test charts under {@code src/test/resources/charts}. */
final class TestCharts {

  private TestCharts() {}

  /** The directory of a test chart, e.g. {@code hooks-sample} or {@code validation/broken}. */
  static Path path(String name) {
    URL url = TestCharts.class.getResource("/charts/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test chart " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a test chart into {@code target} so a test may change it. */
  static Path copy(String name, Path target) {
    Path source = path(name);
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path destination = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(p, destination);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a directory has no entries left (used to prove temporary copies are gone). */
  static boolean isEmptyDirectory(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
