package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The desired release: which chart, with which values, and how it is installed and torn down. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OrderedReleaseSpec {
  @Required
  @JsonPropertyDescription(
      "The chart to install: exactly one of path, or repository + name + version.")
  private ChartSource chart;

  @PreserveUnknownFields
  @JsonPropertyDescription(
      "Helm values, as in a values.yaml file. They take precedence over valuesFrom.")
  private JsonNode values;

  @JsonPropertyDescription(
      "ConfigMap or Secret keys holding YAML values, merged in order; later entries and then"
          + " spec.values override earlier ones.")
  private List<ValuesReference> valuesFrom = new ArrayList<>();

  @JsonPropertyDescription("The Helm release name. Defaults to the object's name.")
  private String releaseName;

  @JsonPropertyDescription(
      "The namespace the release is installed into. Defaults to the object's namespace.")
  private String targetNamespace;

  @JsonPropertyDescription(
      "A ServiceAccount of this object's namespace that the release's calls are made as"
          + " (impersonation): Helm's install and upgrade, and before them listing, labelling and"
          + " unlocking (a stale pending record) Helm's record Secrets; the teardown's hooks,"
          + " deletes and DaemonSet searches, and the removal of Helm's record. The operator's own"
          + " identity keeps the rest: status, finalizer, Events, the teardown ledger, discovery,"
          + " reading Helm's records to decide ownership, plan and observe a teardown, looking up"
          + " another owning OrderedRelease, readiness reads, and valuesFrom and chart.secretRef."
          + " Without it the operator's --default-service-account applies, else the operator's"
          + " own identity. Whoever may create an OrderedRelease here may name any ServiceAccount"
          + " of this namespace.")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @Size(max = 253)
  private String serviceAccountName;

  @JsonPropertyDescription("Create the target namespace if it does not exist.")
  private boolean createNamespace;

  @JsonPropertyDescription(
      "Stop installing and upgrading. Deletion still tears the release down in order.")
  private boolean suspend;

  @JsonPropertyDescription(
      "Take over an existing Helm release of this name that was installed outside Orderly (helm"
          + " install, Flux): it is marked as this object's, upgraded with this chart, and torn"
          + " down following its record when this object is deleted. Without it such a release"
          + " is refused and left untouched. A release owned by another OrderedRelease that"
          + " still exists is never taken over.")
  private boolean adoptRelease;

  @JsonPropertyDescription(
      "Other OrderedReleases this one depends on. It is installed or upgraded only once every one"
          + " of them is Ready=True (until then Ready=False, reason DependencyNotReady); when it is"
          + " deleted, they wait until it is gone before their own teardown starts (see"
          + " uninstall.waitForDependents). A dependency that does not exist (DependencyNotFound)"
          + " or a cycle (DependencyCycle) is reported Stalled.")
  private List<DependencyReference> dependsOn = new ArrayList<>();

  @JsonPropertyDescription("How the release is installed.")
  private InstallOptions install = new InstallOptions();

  @JsonPropertyDescription("How the release is upgraded.")
  private UpgradeOptions upgrade = new UpgradeOptions();

  @JsonPropertyDescription("How the release is torn down when this object is deleted.")
  private UninstallOptions uninstall = new UninstallOptions();

  public ChartSource getChart() {
    return chart;
  }

  public void setChart(ChartSource chart) {
    this.chart = chart;
  }

  public JsonNode getValues() {
    return values;
  }

  public void setValues(JsonNode values) {
    this.values = values;
  }

  public List<ValuesReference> getValuesFrom() {
    return valuesFrom;
  }

  public void setValuesFrom(List<ValuesReference> valuesFrom) {
    this.valuesFrom = valuesFrom == null ? new ArrayList<>() : valuesFrom;
  }

  public String getReleaseName() {
    return releaseName;
  }

  public void setReleaseName(String releaseName) {
    this.releaseName = releaseName;
  }

  public String getTargetNamespace() {
    return targetNamespace;
  }

  public void setTargetNamespace(String targetNamespace) {
    this.targetNamespace = targetNamespace;
  }

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public boolean isCreateNamespace() {
    return createNamespace;
  }

  public void setCreateNamespace(boolean createNamespace) {
    this.createNamespace = createNamespace;
  }

  public boolean isSuspend() {
    return suspend;
  }

  public void setSuspend(boolean suspend) {
    this.suspend = suspend;
  }

  public boolean isAdoptRelease() {
    return adoptRelease;
  }

  public void setAdoptRelease(boolean adoptRelease) {
    this.adoptRelease = adoptRelease;
  }

  public List<DependencyReference> getDependsOn() {
    return dependsOn;
  }

  public void setDependsOn(List<DependencyReference> dependsOn) {
    this.dependsOn = dependsOn == null ? new ArrayList<>() : dependsOn;
  }

  public InstallOptions getInstall() {
    return install;
  }

  public void setInstall(InstallOptions install) {
    this.install = install == null ? new InstallOptions() : install;
  }

  public UpgradeOptions getUpgrade() {
    return upgrade;
  }

  public void setUpgrade(UpgradeOptions upgrade) {
    this.upgrade = upgrade == null ? new UpgradeOptions() : upgrade;
  }

  public UninstallOptions getUninstall() {
    return uninstall;
  }

  public void setUninstall(UninstallOptions uninstall) {
    this.uninstall = uninstall == null ? new UninstallOptions() : uninstall;
  }
}
