package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the chart comes from: exactly one of a local path or a repository chart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.path) != has(self.repository)",
    message = "set exactly one chart source: path, or repository with name and version")
@ValidationRule(
    value = "!has(self.repository) || (has(self.name) && has(self.version))",
    message = "a repository chart needs both name and version")
public class ChartSource {
  @JsonPropertyDescription(
      "A chart directory or packaged .tgz on the operator's filesystem, for charts baked into the"
          + " image or mounted into the operator's pod.")
  private String path;

  @JsonPropertyDescription("An HTTP(S) Helm repository URL, e.g. https://charts.example.com.")
  private String repository;

  @JsonPropertyDescription("The chart's name in the repository.")
  private String name;

  @JsonPropertyDescription("The chart's exact version in the repository.")
  private String version;

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
}
