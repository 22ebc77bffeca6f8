package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.ArrayList;
import java.util.List;

/** Options for the ordered teardown that runs when the OrderedRelease is deleted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UninstallOptions {
  /** What the teardown does when a phase runs out of time. */
  public enum OnTimeout {
    /** Keep the finalizer, report Stalled and retry with backoff. */
    Fail,
    /** Record a Warning Event and go on to the next phase. */
    Continue
  }

  /** What the teardown does with CustomResourceDefinitions rendered from the chart's templates/. */
  public enum CrdPolicy {
    /** Leave them: deleting a CRD deletes every custom resource of its kind cluster-wide. */
    Keep,
    /** Delete them in the Release phase, once Helm's record is gone, and wait until they are. */
    Delete
  }

  /**
   * How the dependents of a deleted object are removed; Kubernetes' propagationPolicy. Only
   * Foreground keeps the teardown's promise, so the CRD accepts only it: with Background the API
   * server reports a workload gone while its pods still run (on a real control plane the
   * ServiceAccount was deleted while a Deployment's pod was terminating), and with Orphan the pods
   * run on with their RBAC deleted. The other constants stay so that objects stored by earlier
   * versions can still be read and torn down (in Foreground).
   */
  public enum Propagation {
    Foreground,
    Background,
    Orphan
  }

  /** The propagation policies the CRD accepts: those that keep the teardown's promise. */
  enum AcceptedPropagation {
    Foreground
  }

  @Default("10m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long the object phases, from CustomResources through Rbac, and the CRD deletions of"
          + " the Release phase (crds: Delete) may take together, counted from the start of"
          + " CustomResources (see status.teardown.deadline); the Namespaces phase, after the"
          + " post-delete hooks, may take as long again on its own. The pre- and post-delete hooks"
          + " have hookTimeout instead; removing Helm's record has no limit. Defaults to 10m.")
  private String timeout = "10m";

  @Default("5m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long each pre- or post-delete hook may run, from its creation until it finishes."
          + " Defaults to 5m.")
  private String hookTimeout = "5m";

  @JsonPropertyDescription("Skip the pre-delete and post-delete hooks.")
  private boolean disableHooks;

  @Default("Foreground")
  @SchemaFrom(type = AcceptedPropagation.class)
  @JsonPropertyDescription(
      "The propagationPolicy of every delete. Only Foreground is accepted: with Background the API"
          + " server reports a workload gone while its pods still run, so RBAC would go under"
          + " them; with Orphan the pods run on with their RBAC deleted.")
  private Propagation deletionPropagation = Propagation.Foreground;

  @JsonPropertyDescription(
      "Keep Helm's release record, its latest revision marked uninstalled, as helm uninstall"
          + " --keep-history does.")
  private boolean keepHistory;

  @Default("Fail")
  @JsonPropertyDescription(
      "What happens when a hook, the object phases or the wait for dependents run out of time. Fail (default): keep the"
          + " finalizer, set Stalled naming what is left, and keep checking. Continue: record a"
          + " Warning Event and go on with the next hook or phase.")
  private OnTimeout onTimeout = OnTimeout.Fail;

  @Default("Keep")
  @JsonPropertyDescription(
      "CustomResourceDefinitions rendered from the chart's templates/: Keep (default) leaves them,"
          + " because deleting a CRD deletes every custom resource of its kind in the whole"
          + " cluster, other releases' included; Delete deletes them in the Release phase after"
          + " Helm's record is removed. CRDs in the chart's crds/ directory and CRDs annotated"
          + " helm.sh/resource-policy are always kept.")
  private CrdPolicy crds = CrdPolicy.Keep;

  @JsonPropertyDescription(
      "DaemonSets outside the chart, typically created by the chart's operator, to delete in the"
          + " DaemonSets phase, by namespace and label selector.")
  private List<DaemonSetSelector> daemonSets = new ArrayList<>();

  @Default("true")
  @JsonPropertyDescription(
      "Wait, before the teardown's first phase, until every OrderedRelease whose spec.dependsOn"
          + " names this one is gone (Reason WaitingForDependents), so a set deleted at once comes"
          + " down dependents first. false, or the annotation orderly.dev/force, goes on without"
          + " waiting. Defaults to true.")
  private boolean waitForDependents = true;

  @Default("30m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long the teardown may wait for its dependents to be gone (see waitForDependents),"
          + " counted from the start of the wait (status.dependentsWaitStartedAt); then onTimeout"
          + " applies: Fail reports Stalled (DependentsTimedOut) and keeps waiting, Continue"
          + " records a Warning Event and starts the teardown. Defaults to 30m.")
  private String dependentsTimeout = "30m";

  public boolean isWaitForDependents() {
    return waitForDependents;
  }

  public void setWaitForDependents(boolean waitForDependents) {
    this.waitForDependents = waitForDependents;
  }

  public String getDependentsTimeout() {
    return dependentsTimeout;
  }

  public void setDependentsTimeout(String dependentsTimeout) {
    this.dependentsTimeout = dependentsTimeout;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public String getHookTimeout() {
    return hookTimeout;
  }

  public void setHookTimeout(String hookTimeout) {
    this.hookTimeout = hookTimeout;
  }

  public boolean isDisableHooks() {
    return disableHooks;
  }

  public void setDisableHooks(boolean disableHooks) {
    this.disableHooks = disableHooks;
  }

  public Propagation getDeletionPropagation() {
    return deletionPropagation;
  }

  public void setDeletionPropagation(Propagation deletionPropagation) {
    this.deletionPropagation = deletionPropagation;
  }

  public boolean isKeepHistory() {
    return keepHistory;
  }

  public void setKeepHistory(boolean keepHistory) {
    this.keepHistory = keepHistory;
  }

  public OnTimeout getOnTimeout() {
    return onTimeout;
  }

  public void setOnTimeout(OnTimeout onTimeout) {
    this.onTimeout = onTimeout;
  }

  public CrdPolicy getCrds() {
    return crds;
  }

  public void setCrds(CrdPolicy crds) {
    this.crds = crds == null ? CrdPolicy.Keep : crds;
  }

  public List<DaemonSetSelector> getDaemonSets() {
    return daemonSets;
  }

  public void setDaemonSets(List<DaemonSetSelector> daemonSets) {
    this.daemonSets = daemonSets == null ? new ArrayList<>() : daemonSets;
  }
}
