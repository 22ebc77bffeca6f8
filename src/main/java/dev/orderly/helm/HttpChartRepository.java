package dev.orderly.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderly.api.ChartSource;
import dev.orderly.api.ConditionTypes.Reasons;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Charts from HTTP(S) Helm repositories: the version is looked up in the repository's index.yaml
 * (read up to a bound), its archive downloaded once (up to a bound, checked against the index's
 * digest) into a cache keyed by a sha256 of repository, name, version and credentials. Every URL
 * fetched, redirects included, must be allowed by the {@link ChartSourcePolicy}.
 */
final class HttpChartRepository {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 5;
  // What is read of an error answer before the connection is given up.
  private static final int MAX_ERROR_BYTES = 64 * 1024;
  // Helm's index lists a chart's sha256 as 64 hex digits, sometimes with a sha256: prefix.
  private static final Pattern INDEX_DIGEST = Pattern.compile("^(sha256:)?([a-fA-F0-9]{64})$");

  private final Path cacheDir;
  private final ChartSourcePolicy policy;
  private final HttpClient http;
  private final ObjectMapper yaml;

  HttpChartRepository(Path cacheDir, ChartSourcePolicy policy) {
    this.cacheDir = cacheDir;
    this.policy = policy;
    this.yaml = indexReader(policy.maxIndexBytes());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * A YAML reader for indexes up to {@code maxIndexBytes}: SnakeYAML refuses a document of more
   * than 3 MiB by default (its code point limit), and real indexes (Bitnami's) are larger. A code
   * point is at least one byte, so a limit equal to the byte bound never refuses what was read.
   */
  static ObjectMapper indexReader(long maxIndexBytes) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, Math.max(1, maxIndexBytes)));
    return new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build());
  }

  /** The cached archive of {@code source}, downloaded first if need be. */
  Path download(ChartSource source, Optional<RegistryCredentials> credentials) {
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
    IndexEntry entry = findChart(auth, source.getName(), source.getVersion());
    URI chartUrl = entry.url();
    try {
      Files.createDirectories(cached.getParent());
      Path partial = Files.createTempFile(cached.getParent(), "download", ".part");
      try {
        String actual = downloadTo(auth, chartUrl, partial);
        if (entry.digest().isPresent() && !entry.digest().get().equals(actual)) {
          // Not cached: the next try downloads again, and no other spec is handed this archive.
          throw new HelmFailure(
              Reasons.CHART_DIGEST_MISMATCH,
              "the archive of chart "
                  + source.getName()
                  + " "
                  + source.getVersion()
                  + " from "
                  + RemoteText.excerpt(chartUrl.toString())
                  + " has sha256 "
                  + actual
                  + ", but the index.yaml of repository "
                  + RemoteText.excerpt(repository)
                  + " lists "
                  + entry.digest().get()
                  + ": the archive or the index was changed; it was not used",
              true);
        }
        return Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw unavailable(repository, RemoteText.excerpt(e.toString()));
    }
  }

  /** Downloads {@code url} into {@code target}, up to the policy's bound; returns its sha256. */
  private String downloadTo(Authorization auth, URI url, Path target) throws IOException {
    HttpResponse<InputStream> response = get(auth, url, HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha = OciRegistryClient.sha256();
    try (InputStream in = response.body();
        OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
      if (response.statusCode() != 200) {
        in.readNBytes(MAX_ERROR_BYTES);
        throw unavailable(
            auth.repository(),
            RemoteText.excerpt(url.toString()) + " answered HTTP " + response.statusCode());
      }
      long limit = policy.maxArchiveBytes();
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > limit) {
        throw archiveTooLarge(auth.repository(), url, limit);
      }
      try {
        BoundedBody.copy(in, out, limit);
      } catch (BoundedBody.TooLarge e) {
        throw archiveTooLarge(auth.repository(), url, limit);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static HelmFailure archiveTooLarge(String repository, URI url, long limit) {
    return new HelmFailure(
        Reasons.REPOSITORY_UNAVAILABLE,
        "the chart archive at "
            + RemoteText.excerpt(url.toString())
            + " of repository "
            + RemoteText.excerpt(repository)
            + " is larger than the operator's limit of "
            + limit
            + " bytes; it was not used",
        true);
  }

  /** A chart version's entry in an index: where its archive is, and its sha256 if listed. */
  private record IndexEntry(URI url, Optional<String> digest) {}

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

  private IndexEntry findChart(Authorization auth, String name, String version) {
    String repository = auth.repository();
    URI indexUrl = URI.create(repository + "/index.yaml");
    long limit = policy.maxIndexBytes();
    HttpResponse<byte[]> response;
    try {
      response = get(auth, indexUrl, BoundedBody.atMost(limit));
    } catch (HelmFailure e) {
      if (e.getCause() != null && BoundedBody.TooLarge.causes(e.getCause())) {
        throw new HelmFailure(
            Reasons.REPOSITORY_UNAVAILABLE,
            "the index.yaml of chart repository "
                + RemoteText.excerpt(repository)
                + " is larger than the operator's limit of "
                + limit
                + " bytes; it was not read",
            true);
      }
      throw e;
    }
    if (response.statusCode() != 200) {
      throw unavailable(repository, indexUrl + " answered HTTP " + response.statusCode());
    }
    JsonNode entries;
    try {
      entries = yaml.readTree(response.body()).path("entries").path(name);
    } catch (IOException e) {
      throw unavailable(
          repository,
          "its index.yaml is not valid YAML: "
              + RemoteText.excerpt(
                  e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                      ? json.getOriginalMessage()
                      : e.getMessage()));
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
        URI chartUrl;
        try {
          // Chart URLs in an index may be relative to the repository.
          chartUrl = URI.create(repository + "/").resolve(url);
        } catch (IllegalArgumentException e) {
          throw unavailable(
              repository,
              "its index lists " + name + " " + version + " at a URL that is not valid");
        }
        return new IndexEntry(chartUrl, indexDigest(repository, entry.path("digest").asText("")));
      }
    }
    throw new HelmFailure(
        Reasons.CHART_VERSION_NOT_FOUND,
        "repository " + repository + " has no version " + version + " of chart " + name,
        true);
  }

  private static Optional<String> indexDigest(String repository, String digest) {
    if (digest.isEmpty()) {
      return Optional.empty();
    }
    var matcher = INDEX_DIGEST.matcher(digest);
    if (!matcher.matches()) {
      throw new HelmFailure(
          Reasons.CHART_DIGEST_MISMATCH,
          "the index.yaml of chart repository "
              + RemoteText.excerpt(repository)
              + " lists digest '"
              + RemoteText.excerpt(digest)
              + "', which is not a sha256 of 64 hex digits",
          true);
    }
    return Optional.of(matcher.group(2).toLowerCase(Locale.ROOT));
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
      if (!policy.allows(target.toString())) {
        throw policy.urlRefused(
            auth.repository(),
            target.toString(),
            hop == 0 ? "names the URL" : "redirected " + uri + " to");
      }
      HttpResponse<T> response = getOnce(auth, target, handler);
      Optional<String> location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      try {
        target = target.resolve(location.get());
      } catch (IllegalArgumentException e) {
        throw unavailable(
            auth.repository(),
            RemoteText.excerpt(uri + " redirected to a URL that is not valid: " + location.get()));
      }
    }
    throw unavailable(
        auth.repository(),
        RemoteText.excerpt(uri.toString()) + " redirected more than " + MAX_REDIRECTS + " times");
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
      throw unavailable(repository, RemoteText.excerpt("GET " + uri + " failed: " + why), e);
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
              + RemoteText.excerpt(uri.toString())
              + ")",
          true);
    }
    return response;
  }

  private static HelmFailure unavailable(String repository, String detail) {
    return unavailable(repository, detail, null);
  }

  /** {@code detail} may quote the remote side: URLs and answers are excerpted, never pasted. */
  private static HelmFailure unavailable(String repository, String detail, Throwable cause) {
    String message =
        "chart repository " + RemoteText.excerpt(repository) + " is unavailable: " + detail;
    return cause == null
        ? new HelmFailure(Reasons.REPOSITORY_UNAVAILABLE, message, true)
        : new HelmFailure(Reasons.REPOSITORY_UNAVAILABLE, message, true, cause);
  }
}
