package dev.orderly.testsupport;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real OCI registry on 127.0.0.1: Debian's {@code docker-registry} (the CNCF distribution
 * registry) started on a free port with its storage in a directory of the test, and killed on
 * {@link #close()}. With basic auth, a second registry process serves the same storage without auth
 * on another port, for pushing, so pushes need no Helm login (which would write the user's Helm
 * registry config).
 */
public final class OciRegistry implements AutoCloseable {
  public static final String USERNAME = "orderly";
  public static final String PASSWORD = "orderly-test-password";
  // bcrypt (cost 4) of PASSWORD; the registry's htpasswd accepts only bcrypt.
  private static final String HTPASSWD =
      USERNAME + ":$2b$04$ahkEekYeA4rlaAPSF92ZbODPy5kNFT5VccEF81RngMr7nNYDCvyJS\n";
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final List<Process> processes;
  private final String host;
  private final String pushHost;
  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private OciRegistry(List<Process> processes, String host, String pushHost, Path dir) {
    this.processes = processes;
    this.host = host;
    this.pushHost = pushHost;
    this.dir = dir;
  }

  private record Served(Process process, String host) {}

  /** A registry anyone may pull from and push to. */
  public static OciRegistry start(Path dir) {
    Served open = serve(dir, "open", null);
    return new OciRegistry(List.of(open.process()), open.host(), open.host(), dir);
  }

  /** A registry that asks for {@link #USERNAME}/{@link #PASSWORD} (Basic) to pull. */
  public static OciRegistry startWithBasicAuth(Path dir) {
    try {
      Files.writeString(dir.resolve("htpasswd"), HTPASSWD);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Served pusher = serve(dir, "push", null);
    try {
      Served guarded = serve(dir, "auth", dir.resolve("htpasswd"));
      return new OciRegistry(
          List.of(guarded.process(), pusher.process()), guarded.host(), pusher.host(), dir);
    } catch (RuntimeException e) {
      pusher.process().destroyForcibly();
      throw e;
    }
  }

  /** {@code host:port} of the registry charts are pulled from. */
  public String host() {
    return host;
  }

  /** The {@code chart.repository} of pushed charts: {@code oci://127.0.0.1:PORT/charts}. */
  public String chartsUrl() {
    return "oci://" + host + "/charts";
  }

  /**
   * Packages {@code chart} with its Chart.yaml's version replaced by {@code version}, pushes it
   * with helm-java to {@code charts/<name>:<version>}, and returns the manifest's digest.
   */
  public String pushChart(Path chart, String name, String version) {
    try {
      Path copy = Files.createTempDirectory(dir, "chart");
      Path source = copy.resolve(name);
      copyTree(chart, source);
      Path chartYaml = source.resolve("Chart.yaml");
      Files.writeString(
          chartYaml,
          Files.readString(chartYaml).replaceFirst("(?m)^version:.*$", "version: " + version));
      new Helm(source).packageIt().withDestination(copy).call();
      Path archive = copy.resolve(name + "-" + version + ".tgz");
      Helm.push()
          .withChart(archive)
          .withRemote(URI.create("oci://" + pushHost + "/charts"))
          .plainHttp()
          .call();
      return digestOf("charts/" + name, version.replace('+', '_'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Pushes an artifact that is not a Helm chart (a container-image-like manifest with one layer) to
   * {@code repository:tag}, and returns its manifest digest.
   */
  public String pushArtifact(String repository, String tag, String configType, String layerType) {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "not a chart".getBytes(StandardCharsets.UTF_8);
    String configDigest = uploadBlob(repository, config);
    String layerDigest = uploadBlob(repository, layer);
    String manifest =
        """
        {"schemaVersion":2,"mediaType":"%s",
         "config":{"mediaType":"%s","digest":"%s","size":%d},
         "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}
        """
            .formatted(
                MANIFEST_TYPE,
                configType,
                configDigest,
                config.length,
                layerType,
                layerDigest,
                layer.length);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(pushBase() + repository + "/manifests/" + tag))
                .header("Content-Type", MANIFEST_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)),
            201);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  /** The digest the registry gives {@code repository:tag}, as Helm shows it after a push. */
  public String digestOf(String repository, String tag) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(pushBase() + repository + "/manifests/" + tag))
                .header("Accept", MANIFEST_TYPE)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            200);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  private String uploadBlob(String repository, byte[] content) {
    String digest = "sha256:" + sha256(content);
    HttpResponse<String> started =
        send(
            HttpRequest.newBuilder(URI.create(pushBase() + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            202);
    URI location =
        URI.create(pushBase()).resolve(started.headers().firstValue("Location").orElseThrow());
    String separator = location.getQuery() == null ? "?" : "&";
    send(
        HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content)),
        201);
    return digest;
  }

  private HttpResponse<String> send(HttpRequest.Builder request, int expected) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            "registry answered HTTP " + response.statusCode() + ": " + response.body());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String pushBase() {
    return "http://" + pushHost + "/v2/";
  }

  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
    for (Process process : processes) {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Served serve(Path dir, String name, Path htpasswd) {
    Path binary = binary();
    IllegalStateException last = null;
    // A free port can be taken between finding it and the registry binding it: try again.
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path config = dir.resolve(name + ".yml");
      Path log = dir.resolve(name + ".log");
      try {
        Files.createDirectories(dir.resolve("storage"));
        Files.writeString(config, config(dir.resolve("storage"), port, htpasswd));
        Process process =
            new ProcessBuilder(binary.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (awaitServing(process, port)) {
          return new Served(process, "127.0.0.1:" + port);
        }
        process.destroyForcibly();
        last =
            new IllegalStateException(
                "docker-registry did not serve on 127.0.0.1:"
                    + port
                    + " within "
                    + START_TIMEOUT.toSeconds()
                    + " s; its log:\n"
                    + Files.readString(log));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw last;
  }

  private static String config(Path storage, int port, Path htpasswd) {
    String auth =
        htpasswd == null
            ? ""
            : """
            auth:
              htpasswd:
                realm: orderly-test
                path: %s
            """
                .formatted(htpasswd);
    return """
        version: 0.1
        log:
          level: warn
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
          secret: orderly-test-secret
        %s"""
        .formatted(storage, port, auth);
  }

  /** Polls the process's port until it answers, as the registry prints no "ready" line. */
  private static boolean awaitServing(Process process, int port) {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return true;
      } catch (IOException e) {
        try {
          Thread.sleep(50); // waiting for a child process to bind; no timing is asserted
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static Path binary() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String entry : (path + ":/usr/bin").split(":")) {
      Path candidate = Path.of(entry, "docker-registry");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "docker-registry is not installed: the OCI tests need it; run"
            + " `sudo apt-get install docker-registry` (README, Set up)");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
