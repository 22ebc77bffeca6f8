package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One object or hook in the teardown and what has happened to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeardownStep {
  /** Where a step stands. */
  public enum State {
    /** Not acted on yet. */
    Pending,
    /** A hook was created, or a delete was sent; waiting for it to finish or disappear. */
    InProgress,
    /** The hook succeeded, or the object is gone. */
    Done,
    /** The hook failed. */
    Failed,
    /** Not acted on, by policy (resource-policy keep) or by an escape hatch. */
    Skipped,
    /** The phase ran out of time with this step unfinished and onTimeout was Continue. */
    TimedOut
  }

  @JsonPropertyDescription("The phase this step belongs to.")
  private TeardownPhase phase;

  @JsonPropertyDescription("The object's apiVersion.")
  private String apiVersion;

  @JsonPropertyDescription("The object's kind.")
  private String kind;

  @JsonPropertyDescription("The object's namespace; empty for cluster-scoped objects.")
  private String namespace;

  @JsonPropertyDescription("The object's name.")
  private String name;

  @JsonPropertyDescription("The UID of the object the teardown created or deleted.")
  private String uid;

  @JsonPropertyDescription("For hooks, the hook weight (64-bit, as Helm's).")
  private Long weight;

  @JsonPropertyDescription("Pending, InProgress, Done, Failed, Skipped or TimedOut.")
  private State state = State.Pending;

  @JsonPropertyDescription("Why the step is in its state, when that needs saying.")
  private String message;

  @JsonPropertyDescription("How many times the object came back after being deleted.")
  private Integer recreations;

  @JsonPropertyDescription("When the hook was created or the delete was first sent (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("For hooks, Helm's effective hook-delete-policy values.")
  private List<String> deletePolicies;

  @JsonPropertyDescription(
      "For hooks, the rendered manifest, kept so post-delete hooks can run after Helm's record"
          + " is gone.")
  private String manifest;

  public TeardownPhase getPhase() {
    return phase;
  }

  public void setPhase(TeardownPhase phase) {
    this.phase = phase;
  }

  public String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  public Long getWeight() {
    return weight;
  }

  public void setWeight(Long weight) {
    this.weight = weight;
  }

  public State getState() {
    return state;
  }

  public void setState(State state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public List<String> getDeletePolicies() {
    return deletePolicies;
  }

  public void setDeletePolicies(List<String> deletePolicies) {
    this.deletePolicies = deletePolicies;
  }

  public String getManifest() {
    return manifest;
  }

  public void setManifest(String manifest) {
    this.manifest = manifest;
  }

  /** Whether this step runs a hook rather than deleting a release object. */
  @JsonIgnore
  public boolean isHook() {
    return phase == TeardownPhase.PreDeleteHooks || phase == TeardownPhase.PostDeleteHooks;
  }

  /** Whether nothing more will happen to this step: done, skipped or timed out. */
  @JsonIgnore
  public boolean isFinished() {
    return state == State.Done || state == State.Skipped || state == State.TimedOut;
  }

  /** "Kind namespace/name", or "Kind name" when cluster-scoped, for messages. */
  public String describe() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }

  /** A deep copy, so a decision can be computed without touching the original. */
  public TeardownStep copy() {
    TeardownStep copy = new TeardownStep();
    copy.phase = phase;
    copy.apiVersion = apiVersion;
    copy.kind = kind;
    copy.namespace = namespace;
    copy.name = name;
    copy.uid = uid;
    copy.weight = weight;
    copy.state = state;
    copy.message = message;
    copy.recreations = recreations;
    copy.startedAt = startedAt;
    copy.deletePolicies = deletePolicies == null ? null : List.copyOf(deletePolicies);
    copy.manifest = manifest;
    return copy;
  }

  public Integer getRecreations() {
    return recreations;
  }

  public void setRecreations(Integer recreations) {
    this.recreations = recreations;
  }
}
