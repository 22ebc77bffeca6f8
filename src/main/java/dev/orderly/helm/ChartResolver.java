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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Turns a {@link ChartSource} into a chart on the local filesystem: a path is checked, a repository
 * chart is looked up in the repository's index.yaml and downloaded once into a cache.
 */
public class ChartResolver {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path cacheDir;
  private final HttpClient http;

  public ChartResolver(Path cacheDir) {
    this.cacheDir = cacheDir;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * Returns a local chart directory or archive for {@code source}.
   *
   * @throws HelmFailure with reason ChartNotFound or RepositoryUnavailable
   */
  public Path resolve(ChartSource source) {
    if (source.getPath() != null) {
      Path path = Path.of(source.getPath());
      if (!Files.exists(path)) {
        throw new HelmFailure(
            Reasons.CHART_NOT_FOUND,
            "chart path " + path + " does not exist on the operator's filesystem",
            true);
      }
      return path;
    }
    return download(source);
  }

  private Path download(ChartSource source) {
    String repository = source.getRepository().replaceAll("/+$", "");
    Path cached =
        cacheDir
            .resolve(Integer.toHexString(repository.hashCode()))
            .resolve(source.getName() + "-" + source.getVersion() + ".tgz");
    if (Files.exists(cached)) {
      return cached;
    }
    URI chartUrl = findChartUrl(repository, source.getName(), source.getVersion());
    try {
      Files.createDirectories(cached.getParent());
      Path partial = Files.createTempFile(cached.getParent(), "download", ".part");
      HttpResponse<Path> response =
          get(repository, chartUrl, HttpResponse.BodyHandlers.ofFile(partial));
      if (response.statusCode() != 200) {
        Files.deleteIfExists(partial);
        throw unavailable(repository, chartUrl + " answered HTTP " + response.statusCode());
      }
      return Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw unavailable(repository, e.toString());
    }
  }

  private URI findChartUrl(String repository, String name, String version) {
    URI indexUrl = URI.create(repository + "/index.yaml");
    HttpResponse<String> response = get(repository, indexUrl, HttpResponse.BodyHandlers.ofString());
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
        Reasons.CHART_NOT_FOUND,
        "repository " + repository + " has no version " + version + " of chart " + name,
        true);
  }

  private <T> HttpResponse<T> get(String repository, URI uri, HttpResponse.BodyHandler<T> handler) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
      return http.send(request, handler);
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.toString();
      throw unavailable(repository, "GET " + uri + " failed: " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(repository, "GET " + uri + " was interrupted");
    }
  }

  private static HelmFailure unavailable(String repository, String detail) {
    return new HelmFailure(
        Reasons.REPOSITORY_UNAVAILABLE,
        "chart repository " + repository + " is unavailable: " + detail,
        true);
  }
}
