package dev.orderly.helm;

import dev.orderly.api.ChartSource;
import dev.orderly.api.ConditionTypes.Reasons;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which chart sources the operator accepts from a spec, set by the operator's admin (flags {@code
 * --allowed-chart-paths} and {@code --allowed-repositories}): anyone who may create an
 * OrderedRelease names the path and the URL, so the operator reads only files under the allowed
 * directories and talks only to URLs under the allowed prefixes. Each refusal is a {@link
 * HelmFailure} that stalls, naming the setting to change.
 *
 * @param chartDirectories directories whose charts {@code chart.path} may name, symlinks resolved
 * @param repositoryPrefixes URL prefixes every repository URL (and every URL fetched for it,
 *     redirects included) must start with: a scheme alone ({@code https://}) allows any host; with
 *     a host, the host and port must be equal and the path must lie under the prefix's path
 * @param maxIndexBytes the most of an {@code index.yaml} that is read
 * @param maxArchiveBytes the most of a chart archive that is downloaded
 */
public record ChartSourcePolicy(
    List<Path> chartDirectories,
    List<String> repositoryPrefixes,
    long maxIndexBytes,
    long maxArchiveBytes) {

  /** Where the image keeps its example charts (see the Dockerfile). */
  public static final Path IMAGE_CHARTS = Path.of("/opt/orderly/charts");

  /** Any HTTPS repository and any OCI registry over HTTPS. */
  public static final List<String> DEFAULT_REPOSITORIES = List.of("https://", "oci://");

  // Large public indexes run to tens of MiB; past this it is no index anyone serves in earnest.
  public static final long DEFAULT_MAX_INDEX_BYTES = 64L * 1024 * 1024;

  // Helm refuses a chart that expands past 100 MiB; packaged charts are rarely over 1 MiB.
  public static final long DEFAULT_MAX_ARCHIVE_BYTES = 20L * 1024 * 1024;

  public ChartSourcePolicy {
    chartDirectories = chartDirectories.stream().map(d -> d.toAbsolutePath().normalize()).toList();
    repositoryPrefixes = List.copyOf(repositoryPrefixes);
    for (String prefix : repositoryPrefixes) {
      Prefix.parse(prefix);
    }
  }

  /** The operator's defaults: the image's charts, any HTTPS repository, any OCI registry. */
  public static ChartSourcePolicy defaults() {
    return new ChartSourcePolicy(
        List.of(IMAGE_CHARTS),
        DEFAULT_REPOSITORIES,
        DEFAULT_MAX_INDEX_BYTES,
        DEFAULT_MAX_ARCHIVE_BYTES);
  }

  /**
   * Every path and every http, https and oci URL: for {@code orderly plan}, which reads what its
   * own user names, and for tests.
   */
  public static ChartSourcePolicy unrestricted() {
    return new ChartSourcePolicy(
        List.of(Path.of("/")),
        List.of("http://", "https://", "oci://"),
        DEFAULT_MAX_INDEX_BYTES,
        DEFAULT_MAX_ARCHIVE_BYTES);
  }

  /** These rules with other size limits. */
  public ChartSourcePolicy withLimits(long maxIndexBytes, long maxArchiveBytes) {
    return new ChartSourcePolicy(
        chartDirectories, repositoryPrefixes, maxIndexBytes, maxArchiveBytes);
  }

  /**
   * Checks {@code source} before anything is read or fetched for it.
   *
   * @throws HelmFailure ChartPathNotAllowed or RepositoryNotAllowed, stalled
   */
  public void check(ChartSource source) {
    if (source.getPath() != null) {
      allowedPath(source.getPath());
    } else if (source.getRepository() != null) {
      String url = transportUrl(source);
      if (!allows(url)) {
        throw repositoryRefused(source.getRepository(), url);
      }
    }
  }

  /**
   * The real path of {@code path} (symlinks resolved) if it lies under an allowed directory; an
   * allowed path that does not exist is returned as written, normalised, for the caller to report.
   *
   * @throws HelmFailure ChartPathNotAllowed, stalled
   */
  public Path allowedPath(String path) {
    Path requested;
    try {
      requested = Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw pathRefused(path);
    }
    // The path as written first, so nothing outside is even looked at (its existence included).
    if (!under(requested, chartDirectories)) {
      throw pathRefused(path);
    }
    // Then where it really is: a symlink under an allowed directory may point anywhere. A path
    // that does not exist is judged by its deepest existing ancestor, so "not found" is only ever
    // said of a place inside.
    Path existing = requested;
    while (existing != null) {
      try {
        Path real = existing.toRealPath();
        if (!under(real, realDirectories())) {
          throw pathRefused(path);
        }
        return existing == requested ? real : requested;
      } catch (NoSuchFileException e) {
        existing = existing.getParent();
      } catch (IOException e) {
        throw pathRefused(path);
      }
    }
    throw pathRefused(path);
  }

  /** Whether the operator may fetch {@code url} (a repository, an index, a chart or a redirect). */
  public boolean allows(String url) {
    URI uri;
    try {
      uri = new URI(url).normalize();
    } catch (URISyntaxException e) {
      return false;
    }
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
      return false;
    }
    // A ".." left after normalising (or spelled %2e%2e) would climb out of a prefix's path.
    if (uri.getPath() != null && Arrays.asList(uri.getPath().split("/")).contains("..")) {
      return false;
    }
    return repositoryPrefixes.stream().map(Prefix::parse).anyMatch(p -> p.matches(uri));
  }

  /**
   * The URL the operator actually talks to: an OCI registry with {@code chart.insecure} is reached
   * over plain HTTP, so it must be allowed as {@code http://host/...}.
   */
  static String transportUrl(ChartSource source) {
    String repository = source.getRepository();
    if (source.fromOciRegistry() && source.allowsPlainHttp()) {
      return "http://" + repository.substring(ChartSource.OCI_SCHEME.length());
    }
    return repository;
  }

  /** A refusal of {@code url}, fetched for {@code repository}. */
  HelmFailure urlRefused(String repository, String url, String what) {
    return new HelmFailure(
        Reasons.REPOSITORY_NOT_ALLOWED,
        "chart repository "
            + RemoteText.excerpt(repository)
            + " "
            + what
            + " "
            + RemoteText.excerpt(url)
            + ", which is not under the operator's allowed repositories ("
            + String.join(", ", repositoryPrefixes)
            + "); the operator's admin sets them with --allowed-repositories"
            + " (chart value chartSources.allowedRepositories)",
        true);
  }

  private HelmFailure repositoryRefused(String repository, String url) {
    boolean plainHttpOci = !repository.equals(url);
    return new HelmFailure(
        Reasons.REPOSITORY_NOT_ALLOWED,
        "chart.repository "
            + RemoteText.excerpt(repository)
            + (plainHttpOci ? " with chart.insecure (plain " + RemoteText.excerpt(url) + ")" : "")
            + " is not under the operator's allowed repositories ("
            + String.join(", ", repositoryPrefixes)
            + "): use a repository under one of them, or ask the operator's admin to allow it"
            + " with --allowed-repositories (chart value chartSources.allowedRepositories)",
        true);
  }

  private HelmFailure pathRefused(String path) {
    return new HelmFailure(
        Reasons.CHART_PATH_NOT_ALLOWED,
        "chart.path "
            + RemoteText.excerpt(path)
            + " is not under the directories the operator may read charts from ("
            + chartDirectories.stream().map(Path::toString).collect(Collectors.joining(", "))
            + "; symlinks are followed before the check): use a chart there, or a chart"
            + " repository; the operator's admin sets the directories with --allowed-chart-paths"
            + " (chart value chartSources.allowedPaths)",
        true);
  }

  private List<Path> realDirectories() {
    return chartDirectories.stream()
        .flatMap(
            dir -> {
              try {
                return java.util.stream.Stream.of(dir, dir.toRealPath());
              } catch (IOException e) {
                return java.util.stream.Stream.of(dir);
              }
            })
        .toList();
  }

  private static boolean under(Path path, List<Path> directories) {
    return directories.stream().anyMatch(path::startsWith);
  }

  /** One allowed URL prefix, compared by parts so {@code https://a.io} never admits a.io.evil. */
  private record Prefix(String scheme, String host, int port, String path) {
    static Prefix parse(String prefix) {
      int separator = prefix.indexOf("://");
      if (separator <= 0) {
        throw new IllegalArgumentException(
            "'" + prefix + "' is not a URL prefix such as https:// or https://charts.example.com/");
      }
      String scheme = prefix.substring(0, separator).toLowerCase(Locale.ROOT);
      if (prefix.length() == separator + 3) {
        return new Prefix(scheme, null, -1, "");
      }
      URI uri;
      try {
        uri = new URI(prefix).normalize();
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("'" + prefix + "' is not a URL: " + e.getMessage(), e);
      }
      if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
        throw new IllegalArgumentException(
            "'" + prefix + "' must be scheme://host[:port][/path], without user or query");
      }
      String path = String.valueOf(uri.getRawPath() == null ? "" : uri.getRawPath());
      return new Prefix(
          scheme,
          uri.getHost().toLowerCase(Locale.ROOT),
          port(scheme, uri.getPort()),
          path.replaceAll("/+$", ""));
    }

    boolean matches(URI uri) {
      String urlScheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals(urlScheme)) {
        return false;
      }
      if (host == null) {
        return true;
      }
      String urlPath = uri.getRawPath() == null ? "" : uri.getRawPath();
      return host.equals(uri.getHost().toLowerCase(Locale.ROOT))
          && port == port(urlScheme, uri.getPort())
          && (path.isEmpty() || urlPath.equals(path) || urlPath.startsWith(path + "/"));
    }

    private static int port(String scheme, int port) {
      if (port >= 0) {
        return port;
      }
      return scheme.equals("http") ? 80 : 443;
    }
  }
}
