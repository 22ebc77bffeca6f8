package dev.orderly.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.api.ConditionTypes.Reasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Pulls a Helm chart from an OCI registry as Helm does, over the distribution API: resolves the
 * version to a tag (listing tags for a range), reads the manifest, takes the sha256 of its bytes as
 * the chart's digest, checks it against a pinned digest, and downloads the chart layer once into a
 * cache keyed by that digest, verifying the layer's own digest. Authenticates with Basic or with
 * the Bearer token flow, whichever the registry's challenge asks for. Every failure is a {@link
 * HelmFailure} with a reason the user can act on.
 */
public class OciRegistryClient {
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  // Charts pushed by Helm before 3.8 (ORAS's early media type), which Helm still reads.
  static final String LEGACY_CHART_LAYER = "application/tar+gzip";

  /**
   * What a message tells the user to do about credentials and plain HTTP, in the words of where the
   * pull was asked for (an OrderedRelease, or {@code orderly plan}).
   */
  public record Hints(String credentials, String plainHttp) {
    public static final Hints OPERATOR =
        new Hints("a Secret named by chart.secretRef", "set chart.insecure: true");
    public static final Hints CLI =
        new Hints("--username with --password-stdin, or --registry-config", "add --plain-http");
  }

  /** A chart on disk and the manifest digest it was pulled at. */
  public record PulledChart(Path archive, String digest, String tag) {}

  private final HttpClient http;
  private final Path cacheDir;
  private final Hints hints;
  private final ChartSourcePolicy policy;

  /** Caches pulled charts under {@code cacheDir}, one file per manifest digest. */
  public OciRegistryClient(Path cacheDir, Hints hints) {
    this(cacheDir, hints, ChartSourcePolicy.unrestricted());
  }

  /**
   * As {@link #OciRegistryClient(Path, Hints)}; a URL off the registry (a redirect, a token realm)
   * is fetched only if {@code policy} allows it.
   */
  public OciRegistryClient(Path cacheDir, Hints hints, ChartSourcePolicy policy) {
    this.cacheDir = cacheDir;
    this.hints = hints;
    this.policy = policy;
    // Redirects are followed by hand: a blob redirect to storage must not carry our credentials.
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The chart {@code reference} at {@code version} (a version or a range), checked against {@code
   * pinnedDigest} when not null.
   *
   * @throws HelmFailure with reason RepositoryUnavailable, RepositoryUnauthorized, ChartNotFound,
   *     ChartVersionNotFound, NotAHelmChart or ChartDigestMismatch
   */
  public PulledChart pull(
      OciReference reference,
      String version,
      String pinnedDigest,
      Optional<RegistryCredentials> credentials) {
    if (pinnedDigest != null && !OciReference.validDigest(pinnedDigest)) {
      throw new HelmFailure(
          Reasons.CHART_DIGEST_MISMATCH,
          "chart digest '" + pinnedDigest + "' is not of the form sha256:<64 hex digits>",
          true);
    }
    RegistrySession session = new RegistrySession(http, reference, credentials, hints, policy);
    String tag = ChartVersions.isExact(version) ? version : session.matchingTag(version);
    if (!OciReference.validTag(ChartVersions.tagOf(tag))) {
      throw new HelmFailure(
          Reasons.CHART_VERSION_NOT_FOUND,
          "chart version '" + version + "' is not a valid OCI tag or version range",
          true);
    }
    Manifest manifest = session.manifest(tag);
    String where = reference + ":" + tag;
    if (pinnedDigest != null && !pinnedDigest.equals(manifest.digest)) {
      throw new HelmFailure(
          Reasons.CHART_DIGEST_MISMATCH,
          where
              + " has digest "
              + manifest.digest
              + ", not the pinned chart.digest "
              + pinnedDigest
              + ": the tag was moved to another artifact, or the digest is wrong",
          true);
    }
    Path cached = cached(manifest.digest);
    if (Files.isRegularFile(cached)) {
      return new PulledChart(cached, manifest.digest, tag);
    }
    Layer layer = chartLayer(manifest.body, where);
    session.download(layer, cached, where);
    return new PulledChart(cached, manifest.digest, tag);
  }

  /** The cache file of a digest; the digest is checked first, so it cannot name another path. */
  private Path cached(String digest) {
    if (!OciReference.validDigest(digest)) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return cacheDir.resolve("oci").resolve(digest.substring("sha256:".length()) + ".tgz");
  }

  /** A manifest as received and the sha256 digest of its bytes. */
  record Manifest(String digest, JsonNode body) {}

  /** The chart layer a manifest names. */
  record Layer(String digest, long size) {}

  private static Layer chartLayer(JsonNode manifest, String where) {
    String mediaType = manifest.path("mediaType").asText("");
    String configType = manifest.path("config").path("mediaType").asText("");
    List<String> layerTypes = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      String type = layer.path("mediaType").asText("");
      layerTypes.add(type);
      if ((type.equals(HELM_CHART_LAYER) || type.equals(LEGACY_CHART_LAYER))
          && OciReference.validDigest(layer.path("digest").asText(""))) {
        return new Layer(layer.path("digest").asText(), layer.path("size").asLong(-1));
      }
    }
    String what =
        manifest.has("manifests")
            ? "an image index (" + mediaType + "), as for a multi-platform container image"
            : "an artifact with config media type '"
                + configType
                + "' and layers "
                + layerTypes
                + "; a chart has a layer of type "
                + HELM_CHART_LAYER;
    throw new HelmFailure(
        Reasons.NOT_A_HELM_CHART,
        where + " is not a Helm chart: it is " + what + " (push charts with helm push)",
        true);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("the JVM has no SHA-256", e));
    }
  }
}
