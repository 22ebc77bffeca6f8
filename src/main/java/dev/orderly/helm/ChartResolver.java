package dev.orderly.helm;

import dev.orderly.api.ChartSource;
import dev.orderly.api.ConditionTypes.Reasons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@link ChartSource} into a chart on the local filesystem: a path is checked, an HTTP
 * repository chart is downloaded by {@link HttpChartRepository}, an OCI chart pulled by {@link
 * OciRegistryClient}, each into a cache. The {@link ChartSourcePolicy} is applied first, and to
 * every URL fetched, redirects included.
 */
public class ChartResolver {
  /**
   * A chart on the local filesystem.
   *
   * @param digest the manifest digest of an OCI chart; null for other sources
   */
  public record ResolvedChart(Path path, String digest) {}

  private final HttpChartRepository repositories;
  private final OciRegistryClient registries;
  private final ChartSourcePolicy policy;

  /** A resolver that accepts every source ({@link ChartSourcePolicy#unrestricted()}). */
  public ChartResolver(Path cacheDir) {
    this(cacheDir, OciRegistryClient.Hints.OPERATOR);
  }

  /** As {@link #ChartResolver(Path)}, with messages worded for where the chart was asked for. */
  public ChartResolver(Path cacheDir, OciRegistryClient.Hints hints) {
    this(cacheDir, hints, ChartSourcePolicy.unrestricted());
  }

  /** A resolver that accepts only the sources {@code policy} allows. */
  public ChartResolver(Path cacheDir, OciRegistryClient.Hints hints, ChartSourcePolicy policy) {
    this.policy = policy;
    this.repositories = new HttpChartRepository(cacheDir, policy);
    this.registries = new OciRegistryClient(cacheDir, hints, policy);
  }

  /** The rules this resolver applies. */
  public ChartSourcePolicy policy() {
    return policy;
  }

  /** As {@link #resolve(ChartSource, Optional)} without credentials, for the path alone. */
  public Path resolve(ChartSource source) {
    return resolve(source, Optional.empty()).path();
  }

  /**
   * Returns a local chart directory or archive for {@code source}, using {@code credentials} for
   * its repository.
   *
   * @throws HelmFailure with reason ChartPathNotAllowed, RepositoryNotAllowed, InvalidSpec,
   *     ChartNotFound, ChartVersionNotFound, RepositoryUnavailable, RepositoryUnauthorized,
   *     NotAHelmChart or ChartDigestMismatch
   */
  public ResolvedChart resolve(ChartSource source, Optional<RegistryCredentials> credentials) {
    policy.check(source);
    if (source.getPath() != null) {
      // The real path, as checked: a symlink swapped afterwards changes nothing.
      Path path = policy.allowedPath(source.getPath());
      if (!Files.exists(path)) {
        throw new HelmFailure(
            Reasons.CHART_NOT_FOUND,
            "chart path "
                + RemoteText.excerpt(source.getPath())
                + " does not exist on the operator's filesystem",
            true);
      }
      return new ResolvedChart(path, null);
    }
    for (Optional<String> problem :
        List.of(
            ChartCoordinates.nameProblem(source.getName()),
            ChartCoordinates.versionProblem(source.getVersion()))) {
      if (problem.isPresent()) {
        throw new HelmFailure(Reasons.INVALID_SPEC, problem.get(), true);
      }
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
    return new ResolvedChart(repositories.download(source, credentials), null);
  }
}
