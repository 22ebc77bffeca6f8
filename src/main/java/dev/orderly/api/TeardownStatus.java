package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  @JsonPropertyDescription(
      "Every object and hook the teardown acts on, with what happened to it, when they are kept"
          + " in status rather than in the ledger Secret (see ledger and stepsNote).")
  private List<TeardownStep> steps = new ArrayList<>();

  @JsonPropertyDescription(
      "The Secret in this namespace that holds every step, with the hooks' manifests, as gzip'ed"
          + " JSON under data.steps.json.gz. Status keeps only a summary.")
  private String ledger;

  @JsonPropertyDescription("Why the steps are kept in status rather than in a ledger Secret.")
  private String stepsNote;

  @JsonPropertyDescription("How many steps are in each state, over every phase.")
  private Map<String, Integer> stepCounts;

  @JsonPropertyDescription(
      "The current phase's unfinished steps, the first few of them, hook manifests left out.")
  private List<TeardownStep> unfinished;

  @JsonPropertyDescription("How many unfinished steps of the current phase unfinished leaves out.")
  private Integer unfinishedNotShown;

  @JsonPropertyDescription(
      "The namespaces the steps name (the first 32), so Job, Pod and workload changes there wake"
          + " the teardown.")
  private List<String> namespaces;

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

  public String getLedger() {
    return ledger;
  }

  public void setLedger(String ledger) {
    this.ledger = ledger;
  }

  public String getStepsNote() {
    return stepsNote;
  }

  public void setStepsNote(String stepsNote) {
    this.stepsNote = stepsNote;
  }

  public Map<String, Integer> getStepCounts() {
    return stepCounts;
  }

  public void setStepCounts(Map<String, Integer> stepCounts) {
    this.stepCounts = stepCounts;
  }

  public List<TeardownStep> getUnfinished() {
    return unfinished;
  }

  public void setUnfinished(List<TeardownStep> unfinished) {
    this.unfinished = unfinished;
  }

  public Integer getUnfinishedNotShown() {
    return unfinishedNotShown;
  }

  public void setUnfinishedNotShown(Integer unfinishedNotShown) {
    this.unfinishedNotShown = unfinishedNotShown;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }
}
