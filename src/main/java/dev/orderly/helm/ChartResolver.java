package dev.orderly.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderly.api.ChartSource;
import dev.orderly.api.ConditionTypes.Reasons;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link ChartSource} into a chart on the local filesystem: a path is checked, an HTTP
 * repository chart is looked up in the repository's index.yaml and downloaded once into a cache, an
 * OCI chart is pulled by {@link OciRegistryClient} into a cache keyed by its digest.
 */
public class ChartResolver {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * A chart on the local filesystem.
   *
   * @param digest the manifest digest of an OCI chart; null for other sources
   */
  public record ResolvedChart(Path path, String digest) {}

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 5;
  // Large public indexes run to tens of MiB; past this it is no index anyone serves in earnest.
  private static final long MAX_INDEX_BYTES = 64L * 1024 * 1024;

  private final Path cacheDir;
  private final HttpClient http;
  private final OciRegistryClient registries;

  public ChartResolver(Path cacheDir) {
    this(cacheDir, OciRegistryClient.Hints.OPERATOR);
  }

  /** As {@link #ChartResolver(Path)}, with messages worded for where the chart was asked for. */
  public ChartResolver(Path cacheDir, OciRegistryClient.Hints hints) {
    this.cacheDir = cacheDir;
    this.registries = new OciRegistryClient(cacheDir, hints);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** As {@link #resolve(ChartSource, Optional)} without credentials, for the path alone. */
  public Path resolve(ChartSource source) {
    return resolve(source, Optional.empty()).path();
  }

  /**
   * Returns a local chart directory or archive for {@code source}, using {@code credentials} for
   * its repository.
   *
   * @throws HelmFailure with reason ChartNotFound, ChartVersionNotFound, RepositoryUnavailable,
   *     RepositoryUnauthorized, NotAHelmChart or ChartDigestMismatch
   */
  public ResolvedChart resolve(ChartSource source, Optional<RegistryCredentials> credentials) {
    if (source.getPath() != null) {
      Path path = Path.of(source.getPath());
      if (!Files.exists(path)) {
        throw new HelmFailure(
            Reasons.CHART_NOT_FOUND,
            "chart path " + path + " does not exist on the operator's filesystem",
            true);
      }
      return new ResolvedChart(path, null);
    }
    if (source.fromOciRegistry()) {
      OciReference reference;
      try {
        reference =
            OciReference.of(source.getRepository(), source.getName(), source.allowsPlainHttp());
      } catch (IllegalArgumentException e) {
        throw new HelmFailure(Reasons.INVALID_SPEC, "chart: " + e.getMessage(), true);
      }
      OciRegistryClient.PulledChart pulled =
          registries.pull(reference, source.getVersion(), source.getDigest(), credentials);
      return new ResolvedChart(pulled.archive(), pulled.digest());
    }
    return new ResolvedChart(download(source, credentials), null);
  }

  private Path download(ChartSource source, Optional<RegistryCredentials> credentials) {
    String repository = source.getRepository().replaceAll("/+$", "");
    // A digest of the whole coordinate: no part of the user's spec becomes a path segment. The
    // credentials are part of it, so a chart fetched with one tenant's Secret is never handed to
    // a spec that names the same repository without them.
    String key =
        OciRegistryClient.sha256(
            String.join(
                    "\n",
                    repository,
                    source.getName(),
                    source.getVersion(),
                    credentials.map(RegistryCredentials::basicAuthorization).orElse(""))
                .getBytes(StandardCharsets.UTF_8));
    Path cached = cacheDir.resolve("http").resolve(key + ".tgz");
    if (Files.exists(cached)) {
      return cached;
    }
    Authorization auth = new Authorization(repository, credentials);
    URI chartUrl = findChartUrl(auth, source.getName(), source.getVersion());
    try {
      Files.createDirectories(cached.getParent());
      Path partial = Files.createTempFile(cached.getParent(), "download", ".part");
      HttpResponse<Path> response = get(auth, chartUrl, HttpResponse.BodyHandlers.ofFile(partial));
      if (response.statusCode() != 200) {
        Files.deleteIfExists(partial);
        throw unavailable(repository, chartUrl + " answered HTTP " + response.statusCode());
      }
      return Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw unavailable(repository, e.toString());
    }
  }

  /** Basic auth for one repository, sent only to the repository's own host and port. */
  private record Authorization(String repository, Optional<RegistryCredentials> credentials) {
    Optional<String> header(URI uri) {
      URI base = URI.create(repository);
      boolean sameOrigin =
          base.getScheme().equals(uri.getScheme())
              && String.valueOf(base.getAuthority()).equals(uri.getAuthority());
      return sameOrigin
          ? credentials.map(RegistryCredentials::basicAuthorization)
          : Optional.empty();
    }
  }

  private URI findChartUrl(Authorization auth, String name, String version) {
    String repository = auth.repository();
    URI indexUrl = URI.create(repository + "/index.yaml");
    HttpResponse<byte[]> response = get(auth, indexUrl, BoundedBody.atMost(MAX_INDEX_BYTES));
    if (response.statusCode() != 200) {
      throw unavailable(repository, indexUrl + " answered HTTP " + response.statusCode());
    }
    JsonNode entries;
    try {
      entries = YAML.readTree(response.body()).path("entries").path(name);
    } catch (IOException e) {
      throw unavailable(repository, "its index.yaml is not valid YAML: " + e.getMessage());
    }
    if (!entries.isArray() || entries.isEmpty()) {
      throw new HelmFailure(
          Reasons.CHART_NOT_FOUND, "repository " + repository + " has no chart " + name, true);
    }
    for (JsonNode entry : entries) {
      if (version.equals(entry.path("version").asText())) {
        String url = entry.path("urls").path(0).asText("");
        if (url.isEmpty()) {
          throw unavailable(
              repository, "its index lists " + name + " " + version + " without a URL");
        }
        // Chart URLs in an index may be relative to the repository.
        return URI.create(repository + "/").resolve(url);
      }
    }
    throw new HelmFailure(
        Reasons.CHART_VERSION_NOT_FOUND,
        "repository " + repository + " has no version " + version + " of chart " + name,
        true);
  }

  /**
   * GET, following redirects by hand: the JDK's client would carry the Authorization header to
   * whatever host a redirect names, and {@link Authorization#header} sends it only to the
   * repository's own origin.
   */
  private <T> HttpResponse<T> get(
      Authorization auth, URI uri, HttpResponse.BodyHandler<T> handler) {
    URI target = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<T> response = getOnce(auth, target, handler);
      Optional<String> location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      target = target.resolve(location.get());
    }
    throw unavailable(auth.repository(), uri + " redirected more than " + MAX_REDIRECTS + " times");
  }

  private <T> HttpResponse<T> getOnce(
      Authorization auth, URI uri, HttpResponse.BodyHandler<T> handler) {
    String repository = auth.repository();
    HttpResponse<T> response;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
      auth.header(uri).ifPresent(value -> request.header("Authorization", value));
      // A redirect's own body is not the answer: it must not go into the caller's file.
      HttpResponse.BodyHandler<T> unlessRedirect =
          info ->
              REDIRECTS.contains(info.statusCode())
                  ? HttpResponse.BodySubscribers.replacing(null)
                  : handler.apply(info);
      response = http.send(request.GET().build(), unlessRedirect);
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.toString();
      throw unavailable(repository, "GET " + uri + " failed: " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(repository, "GET " + uri + " was interrupted");
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new HelmFailure(
          Reasons.REPOSITORY_UNAUTHORIZED,
          "chart repository "
              + repository
              + (auth.credentials().isPresent()
                  ? " refused the " + auth.credentials().get()
                  : " asks for credentials; give them in a Secret named by chart.secretRef")
              + " (HTTP "
              + response.statusCode()
              + " for "
              + uri
              + ")",
          true);
    }
    return response;
  }

  private static HelmFailure unavailable(String repository, String detail) {
    return new HelmFailure(
        Reasons.REPOSITORY_UNAVAILABLE,
        "chart repository " + repository + " is unavailable: " + detail,
        true);
  }
}
