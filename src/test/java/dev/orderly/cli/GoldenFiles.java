package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with files under {@code src/test/resources/golden}. Run the tests with {@code
 * -Dorderly.updateGolden=true} to rewrite the files from the current output instead, then review
 * the diff; a normal run only compares and fails on any difference.
 */
final class GoldenFiles {

  static final String UPDATE_PROPERTY = "orderly.updateGolden";

  private GoldenFiles() {}

  /** The golden directory in the source tree (not the copy on the class path), so updates stick. */
  static Path directory() {
    return Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/golden");
  }

  static void assertMatches(String fileName, String actual) {
    Path file = directory().resolve(fileName);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(file)
          .as("golden file %s is missing; run with -D%s=true to create it", file, UPDATE_PROPERTY)
          .isRegularFile();
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual)
          .as(
              "output differs from %s; if the change is intended, rerun with -D%s=true",
              file, UPDATE_PROPERTY)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
