package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The Helm release behind an OrderedRelease, as Helm last reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseStatus {
  @JsonPropertyDescription("The Helm release name.")
  private String name;

  @JsonPropertyDescription("The namespace the release lives in.")
  private String namespace;

  @JsonPropertyDescription("The Helm revision.")
  private Integer revision;

  @JsonPropertyDescription("The chart's name.")
  private String chartName;

  @JsonPropertyDescription("The chart's version.")
  private String chartVersion;

  @JsonPropertyDescription(
      "For a chart from an OCI registry: the digest of the chart's manifest that was applied"
          + " (sha256:...), as helm pull shows it. Pin it with spec.chart.digest.")
  private String chartDigest;

  @JsonPropertyDescription("Helm's status of the release, such as deployed or failed.")
  private String helmStatus;

  @JsonPropertyDescription("When Helm last deployed the release (RFC 3339).")
  private String lastDeployed;

  @JsonPropertyDescription(
      "A digest of the inputs last applied: chart source, release name and namespace, merged"
          + " values and install.allowInvalidHooks. A change of any of them triggers an upgrade.")
  private String appliedDigest;

  @JsonPropertyDescription(
      "When the objects of this revision must be ready by (RFC 3339): the install or upgrade"
          + " timeout after Helm finished. Unset when the install or upgrade did not wait.")
  private String readinessDeadline;

  @JsonPropertyDescription(
      "When every object of this revision was first seen ready (RFC 3339). Unset while waiting,"
          + " and when the install or upgrade did not wait.")
  private String readyAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public Integer getRevision() {
    return revision;
  }

  public void setRevision(Integer revision) {
    this.revision = revision;
  }

  public String getChartName() {
    return chartName;
  }

  public void setChartName(String chartName) {
    this.chartName = chartName;
  }

  public String getChartVersion() {
    return chartVersion;
  }

  public void setChartVersion(String chartVersion) {
    this.chartVersion = chartVersion;
  }

  public String getChartDigest() {
    return chartDigest;
  }

  public void setChartDigest(String chartDigest) {
    this.chartDigest = chartDigest;
  }

  public String getHelmStatus() {
    return helmStatus;
  }

  public void setHelmStatus(String helmStatus) {
    this.helmStatus = helmStatus;
  }

  public String getLastDeployed() {
    return lastDeployed;
  }

  public void setLastDeployed(String lastDeployed) {
    this.lastDeployed = lastDeployed;
  }

  public String getAppliedDigest() {
    return appliedDigest;
  }

  public void setAppliedDigest(String appliedDigest) {
    this.appliedDigest = appliedDigest;
  }

  public String getReadinessDeadline() {
    return readinessDeadline;
  }

  public void setReadinessDeadline(String readinessDeadline) {
    this.readinessDeadline = readinessDeadline;
  }

  public String getReadyAt() {
    return readyAt;
  }

  public void setReadyAt(String readyAt) {
    this.readyAt = readyAt;
  }
}
