package dev.orderly.testsupport;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Helm chart repository on loopback: an {@code index.yaml} and one packaged chart, served as a
 * static HTTP repository (e.g. GitHub Pages or a bucket) would serve them.
 */
public final class LocalChartRepository implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  private final AtomicInteger chartDownloads = new AtomicInteger();

  private LocalChartRepository(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Packages {@code chart} (name and version from its Chart.yaml) and serves it. */
  public static LocalChartRepository serving(Path chart, String name, String version) {
    return serving(chart, name, version, null);
  }

  /**
   * As {@link #serving(Path, String, String)}, answering only requests with {@code authorization}
   * as their Authorization header (401 with a Basic challenge otherwise).
   */
  public static LocalChartRepository serving(
      Path chart, String name, String version, String authorization) {
    try {
      Path root = Files.createTempDirectory("chart-repo");
      new Helm(chart).packageIt().withDestination(root).call();
      String archive = name + "-" + version + ".tgz";
      if (!Files.exists(root.resolve(archive))) {
        throw new IllegalStateException("helm package did not write " + archive);
      }
      // A relative URL, as `helm repo index` writes by default.
      Files.writeString(
          root.resolve("index.yaml"),
          """
          apiVersion: v1
          entries:
            %1$s:
              - name: %1$s
                version: %2$s
                urls:
                  - %3$s
          generated: "2026-01-01T00:00:00Z"
          """
              .formatted(name, version, archive));
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LocalChartRepository repository = new LocalChartRepository(server, root);
      server.createContext(
          "/",
          exchange -> {
            if (authorization != null
                && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
              exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
              exchange.sendResponseHeaders(401, -1);
              exchange.close();
              return;
            }
            String path = exchange.getRequestURI().getPath().replaceFirst("^/charts/", "");
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
              exchange.sendResponseHeaders(404, -1);
              exchange.close();
              return;
            }
            if (file.toString().endsWith(".tgz")) {
              repository.chartDownloads.incrementAndGet();
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return repository;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository URL to put in {@code spec.chart.repository}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
  }

  /**
   * Lists {@code sha256} (hex) as the chart's digest in index.yaml, as {@code helm repo index}
   * does; pass {@link #archiveSha256()} for the true one.
   */
  public void listDigest(String sha256) {
    try {
      Path index = root.resolve("index.yaml");
      String text = Files.readString(index).replaceAll("(?m)^\\s+digest: .*\\n", "");
      Files.writeString(
          index, text.replace("      version: ", "      digest: " + sha256 + "\n      version: "));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sha256 (hex) of the served chart archive. */
  public String archiveSha256() {
    try (var files = Files.list(root)) {
      Path archive = files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(Files.readAllBytes(archive)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many times a chart archive was downloaded. */
  public int chartDownloads() {
    return chartDownloads.get();
  }

  @Override
  public void close() {
    server.stop(0);
    try (var files = Files.walk(root)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
