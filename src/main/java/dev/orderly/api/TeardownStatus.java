package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The persisted state of the teardown state machine, so a restarted operator resumes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TeardownStatus {
  @JsonPropertyDescription("The phase being worked on.")
  private TeardownPhase phase;

  @JsonPropertyDescription("When the teardown began (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the current phase began (RFC 3339).")
  private String phaseStartedAt;

  @JsonPropertyDescription(
      "When the object phases, from CustomResources through Rbac, and the CRD deletions of the"
          + " Release phase run out of time: spec.uninstall.timeout after CustomResources began;"
          + " from the Namespaces phase on, spec.uninstall.timeout after that phase began (RFC"
          + " 3339).")
  private String deadline;

  @JsonPropertyDescription("The Helm revision whose record the teardown was planned from.")
  private Integer revision;

  @JsonPropertyDescription("Every object and hook the teardown acts on, with what happened to it.")
  private List<TeardownStep> steps = new ArrayList<>();

  public TeardownPhase getPhase() {
    return phase;
  }

  public void setPhase(TeardownPhase phase) {
    this.phase = phase;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getPhaseStartedAt() {
    return phaseStartedAt;
  }

  public void setPhaseStartedAt(String phaseStartedAt) {
    this.phaseStartedAt = phaseStartedAt;
  }

  public String getDeadline() {
    return deadline;
  }

  public void setDeadline(String deadline) {
    this.deadline = deadline;
  }

  public Integer getRevision() {
    return revision;
  }

  public void setRevision(Integer revision) {
    this.revision = revision;
  }

  public List<TeardownStep> getSteps() {
    return steps;
  }

  public void setSteps(List<TeardownStep> steps) {
    this.steps = steps == null ? new ArrayList<>() : steps;
  }
}
