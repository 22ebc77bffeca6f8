package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where the chart comes from: exactly one of a local path or a repository chart (an HTTP(S) Helm
 * repository or an OCI registry).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.path) != has(self.repository)",
    message = "set exactly one chart source: path, or repository with name and version")
@ValidationRule(
    value = "!has(self.repository) || (has(self.name) && has(self.version))",
    message = "a repository chart needs both name and version")
@ValidationRule(
    value =
        "!has(self.repository) || self.repository.startsWith('http://')"
            + " || self.repository.startsWith('https://') || self.repository.startsWith('oci://')",
    message = "chart.repository must be an http://, https:// or oci:// URL")
@ValidationRule(
    value =
        "!has(self.name) || (self.name.size() <= 128 && !self.name.contains('/')"
            + " && !self.name.contains('\\\\') && !self.name.contains('..'))",
    message = "chart.name must be a chart name: at most 128 characters, no '/', '\\' or '..'")
@ValidationRule(
    value =
        "!has(self.version) || (self.version.size() <= 128 && !self.version.contains('/')"
            + " && !self.version.contains('\\\\') && !self.version.contains('..'))",
    message =
        "chart.version must be a version or range: at most 128 characters, no '/', '\\' or"
            + " '..'")
@ValidationRule(
    value = "!has(self.digest) || (has(self.repository) && self.repository.startsWith('oci://'))",
    message = "chart.digest pins an OCI artifact: it needs an oci:// chart.repository")
@ValidationRule(
    value = "!has(self.secretRef) || has(self.repository)",
    message = "chart.secretRef holds repository credentials: it needs chart.repository")
public class ChartSource {
  /** The URL scheme of an OCI registry repository. */
  public static final String OCI_SCHEME = "oci://";

  @JsonPropertyDescription(
      "A chart directory or packaged .tgz on the operator's filesystem, for charts baked into the"
          + " image or mounted into the operator's pod. It must lie under a directory the operator"
          + " allows (--allowed-chart-paths, default /opt/orderly/charts), symlinks resolved;"
          + " else the release stalls with ChartPathNotAllowed.")
  private String path;

  @JsonPropertyDescription(
      "An HTTP(S) Helm repository URL, e.g. https://charts.example.com, or an OCI registry"
          + " location, e.g. oci://registry.example.com/charts (the chart is then"
          + " oci://registry.example.com/charts/<name>). It must match a prefix the operator"
          + " allows (--allowed-repositories, default https:// and oci://); else the release"
          + " stalls with RepositoryNotAllowed.")
  private String repository;

  @JsonPropertyDescription("The chart's name in the repository.")
  private String name;

  @JsonPropertyDescription(
      "The chart's version. An HTTP repository needs the exact version; an OCI registry takes a"
          + " tag or a semver range such as ^1.2.0 or >=1.0.0 <2.0.0, resolved as Helm resolves"
          + " it (the highest tag that matches).")
  private String version;

  @JsonPropertyDescription(
      "For an oci:// repository: the manifest digest the chart must have, e.g. sha256:0123...;"
          + " the version's tag must resolve to it, else the install stalls with"
          + " ChartDigestMismatch. status.release.chartDigest shows the digest applied.")
  @Pattern("^sha256:[a-f0-9]{64}$")
  private String digest;

  @JsonPropertyDescription(
      "A Secret in the OrderedRelease's namespace with the repository's credentials: type"
          + " kubernetes.io/dockerconfigjson (the entry for the registry's host), or keys"
          + " username and password (basic auth, for OCI registries and HTTP repositories).")
  private SecretReference secretRef;

  @JsonPropertyDescription(
      "For an oci:// repository: talk plain HTTP instead of HTTPS, for a local registry only.")
  private Boolean insecure;

  public ChartSource() {}

  public static ChartSource fromPath(String path) {
    ChartSource source = new ChartSource();
    source.setPath(path);
    return source;
  }

  public static ChartSource fromRepository(String repository, String name, String version) {
    ChartSource source = new ChartSource();
    source.setRepository(repository);
    source.setName(name);
    source.setVersion(version);
    return source;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public SecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public Boolean getInsecure() {
    return insecure;
  }

  public void setInsecure(Boolean insecure) {
    this.insecure = insecure;
  }

  /** Whether plain HTTP is allowed for an OCI registry. */
  public boolean allowsPlainHttp() {
    return Boolean.TRUE.equals(insecure);
  }

  /** Whether the chart comes from an OCI registry. */
  public boolean fromOciRegistry() {
    return repository != null && repository.startsWith(OCI_SCHEME);
  }
}
