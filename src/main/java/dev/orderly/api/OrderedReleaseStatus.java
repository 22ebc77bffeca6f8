package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.orderly.api.schema.ConditionSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed and did, as Kubernetes API conventions describe status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OrderedReleaseStatus {
  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "A one-word summary for kubectl get: Installing or Upgrading (while Helm works and then"
          + " while the objects become ready), Waiting (for a dependency to be Ready), Deployed, Failed, Suspended, or"
          + " TearingDown:<teardown phase> while the object is being deleted.")
  private String phase;

  @SchemaFrom(type = ConditionSchema[].class)
  @JsonPropertyDescription(
      "Ready, Reconciling and Stalled (kstatus), Released, HooksValid and, while the object is"
          + " being deleted, TearingDown.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The Helm release as of the last successful install or upgrade.")
  private ReleaseStatus release;

  @JsonPropertyDescription(
      "When a deleted OrderedRelease began waiting for the OrderedReleases that depend on it to be"
          + " gone, before its teardown (RFC 3339); spec.uninstall.dependentsTimeout counts from"
          + " it. Cleared when the teardown starts.")
  private String dependentsWaitStartedAt;

  @JsonPropertyDescription("Progress of the ordered teardown, once deletion has begun.")
  private TeardownStatus teardown;

  @JsonPropertyDescription(
      "When the operator last reconciled this object without error (RFC 3339). It reconciles"
          + " every object at least every 5 minutes and writes this at most once a minute, so a"
          + " time more than 10 minutes old means the operator is not running or cannot reach"
          + " the object, and the rest of status may be stale. Not refreshed during deletion;"
          + " status.teardown shows the teardown's progress.")
  private String lastReconcileTime;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public ReleaseStatus getRelease() {
    return release;
  }

  public void setRelease(ReleaseStatus release) {
    this.release = release;
  }

  public String getDependentsWaitStartedAt() {
    return dependentsWaitStartedAt;
  }

  public void setDependentsWaitStartedAt(String dependentsWaitStartedAt) {
    this.dependentsWaitStartedAt = dependentsWaitStartedAt;
  }

  public TeardownStatus getTeardown() {
    return teardown;
  }

  public void setTeardown(TeardownStatus teardown) {
    this.teardown = teardown;
  }

  public String getLastReconcileTime() {
    return lastReconcileTime;
  }

  public void setLastReconcileTime(String lastReconcileTime) {
    this.lastReconcileTime = lastReconcileTime;
  }
}
