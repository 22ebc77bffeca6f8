package dev.orderly.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private, disposable copy of a chart as a plain directory tree: archives unpacked, packaged
 * subcharts too, so every template file can be rewritten. Closing it deletes everything.
 */
final class ChartWorkspace implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChartWorkspace.class);

  private final Path root;
  private final Path chartDir;
  private final Path source;

  private ChartWorkspace(Path root, Path source) {
    this.root = root;
    this.chartDir = root.resolve("chart");
    this.source = source;
  }

  /** Copies (or unpacks) {@code chart} into a new temporary directory under {@code workRoot}. */
  static ChartWorkspace create(Path workRoot, Path chart) {
    if (!Files.exists(chart)) {
      throw new ChartRenderException("chart not found: " + chart);
    }
    ChartWorkspace workspace;
    try {
      Files.createDirectories(workRoot);
      workspace = new ChartWorkspace(Files.createTempDirectory(workRoot, "orderly-chart-"), chart);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory in " + workRoot, e);
    }
    try {
      workspace.materialize(chart);
      workspace.unpackSubchartArchives();
      return workspace;
    } catch (RuntimeException e) {
      workspace.close();
      throw e;
    }
  }

  Path chartDir() {
    return chartDir;
  }

  /**
   * A file of the copy as the user knows it: {@code charts/app/Chart.yaml} for a chart directory,
   * {@code app-1.0.0.tgz (charts/sub/Chart.yaml)} for an archive.
   */
  String describe(Path file) {
    String relative = chartDir.relativize(file).toString();
    return Files.isDirectory(source)
        ? source.resolve(relative).toString()
        : source + " (" + relative + ")";
  }

  /** Renames the hook keys in every text file of the chart, subcharts included. */
  void neutralizeChart() {
    for (Path file : regularFiles(chartDir)) {
      HookKeyRewriter.neutralizeFile(file, chartDir.relativize(file).toString());
    }
  }

  /** Rewrites the template code of every text file of the chart, subcharts included. */
  void rewriteTemplates(TemplateRewriter rewriter) {
    for (Path file : regularFiles(chartDir)) {
      rewriter.rewriteFile(file);
    }
  }

  /** A renamed copy of a caller's values file, so values and templates keep using the same keys. */
  Path neutralizedValuesFile(Path valuesFile, int index) {
    try {
      // helm-java joins values file paths with commas, so the copy's name must not contain one.
      Path copy = root.resolve("values").resolve("values-" + index + ".yaml");
      Files.createDirectories(copy.getParent());
      Files.copy(valuesFile, copy);
      HookKeyRewriter.neutralizeFile(copy, valuesFile.toString());
      return copy;
    } catch (IOException e) {
      throw new ChartRenderException("cannot read values file " + valuesFile + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Rendering already succeeded or failed on its own; a leftover temp dir must not hide that.
      LOG.warn("Could not delete chart work directory {}", root, e);
    }
  }

  private void materialize(Path chart) {
    if (Files.isDirectory(chart)) {
      copyTree(chart, chartDir);
    } else {
      ChartArchive.extract(chart, chartDir);
    }
    if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
      throw new ChartRenderException("no Chart.yaml found in " + chart);
    }
  }

  /**
   * Replaces each {@code charts/*.tgz} by its unpacked directory (Helm loads both forms alike), and
   * repeats for archives found inside, so their templates can be rewritten too.
   */
  private void unpackSubchartArchives() {
    List<Path> archives = subchartArchives();
    while (!archives.isEmpty()) {
      for (Path archive : archives) {
        Path target = freeSibling(archive);
        ChartArchive.extract(archive, target);
        delete(archive);
      }
      archives = subchartArchives();
    }
  }

  private List<Path> subchartArchives() {
    return regularFiles(chartDir).stream()
        .filter(p -> p.getFileName().toString().endsWith(".tgz"))
        .filter(p -> p.getParent().getFileName().toString().equals("charts"))
        .filter(p -> Files.isRegularFile(p.getParent().resolveSibling("Chart.yaml")))
        .toList();
  }

  private static Path freeSibling(Path archive) {
    String base = archive.getFileName().toString().replaceFirst("\\.tgz$", "");
    Path candidate = archive.resolveSibling(base);
    for (int i = 1; Files.exists(candidate); i++) {
      candidate = archive.resolveSibling(base + "-unpacked-" + i);
    }
    return candidate;
  }

  private static void copyTree(Path source, Path target) {
    // Helm follows symlinks when loading a chart directory, so the copy does too.
    try (Stream<Path> paths = Files.walk(source, FileVisitOption.FOLLOW_LINKS)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path destination = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ChartRenderException("cannot copy chart " + source + ": " + e, e);
    }
  }

  private static List<Path> regularFiles(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
