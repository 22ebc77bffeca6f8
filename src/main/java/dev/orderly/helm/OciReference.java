package dev.orderly.helm;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A chart in an OCI registry: {@code oci://host[:port]/path} plus the chart's name gives registry
 * {@code host[:port]} and repository {@code path/name}. Both are checked against the OCI
 * distribution grammar, so neither can carry {@code ..}, a query or a stray slash into a URL or a
 * file name.
 *
 * @param registry host and optional port, e.g. {@code ghcr.io} or {@code 127.0.0.1:5000}
 * @param repository the repository path in the registry, e.g. {@code charts/node-agent}
 * @param plainHttp whether to talk HTTP rather than HTTPS
 */
public record OciReference(String registry, String repository, boolean plainHttp) {
  private static final Pattern HOST =
      Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$");
  private static final Pattern COMPONENT = Pattern.compile("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*$");
  private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
  private static final Pattern DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");

  /**
   * Parses {@code repositoryUrl} ({@code oci://host/path}) and {@code chartName}.
   *
   * @throws IllegalArgumentException saying what is wrong with either
   */
  public static OciReference of(String repositoryUrl, String chartName, boolean plainHttp) {
    if (repositoryUrl == null || !repositoryUrl.startsWith("oci://")) {
      throw new IllegalArgumentException("'" + repositoryUrl + "' is not an oci:// URL");
    }
    String rest = repositoryUrl.substring("oci://".length()).replaceAll("/+$", "");
    int slash = rest.indexOf('/');
    String host = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "'" + repositoryUrl + "' does not start with a registry host such as oci://ghcr.io/");
    }
    if (chartName == null || !COMPONENT.matcher(chartName).matches()) {
      throw new IllegalArgumentException(
          "chart name '"
              + chartName
              + "' is not a valid OCI repository name: use lowercase letters, digits and"
              + " single separators (. _ -)");
    }
    String repository = path.isEmpty() ? chartName : path + "/" + chartName;
    for (String component : repository.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException(
            "'"
                + repositoryUrl
                + "' has a path part '"
                + component
                + "' that OCI does not allow: use lowercase letters, digits and single separators"
                + " (. _ -) between slashes");
      }
    }
    return new OciReference(host, repository, plainHttp);
  }

  /** Whether {@code tag} may be used in a manifest URL. */
  public static boolean validTag(String tag) {
    return TAG.matcher(tag).matches();
  }

  /** Whether {@code digest} is a sha256 digest in OCI's form. */
  public static boolean validDigest(String digest) {
    return digest != null && DIGEST.matcher(digest).matches();
  }

  /** The registry's base URL, e.g. {@code https://ghcr.io}. */
  public URI base() {
    return URI.create((plainHttp ? "http://" : "https://") + registry);
  }

  /** {@code /v2/<repository>/<kind>/<reference>} on the registry. */
  public URI endpoint(String kind, String reference) {
    return URI.create(base() + "/v2/" + repository + "/" + kind + "/" + reference);
  }

  /** The chart's location as Helm writes it, e.g. {@code oci://ghcr.io/charts/node-agent}. */
  @Override
  public String toString() {
    return "oci://" + registry + "/" + repository;
  }
}
