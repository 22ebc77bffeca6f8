package dev.orderly.api.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The schema of one status condition, as Kubernetes API conventions define conditions. */
public final class ConditionSchema {
  @JsonProperty
  @JsonPropertyDescription(
      "The condition's type: Ready, Reconciling, Stalled, Released, HooksValid or TearingDown.")
  private String type;

  @JsonProperty
  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonProperty
  @JsonPropertyDescription("Why the condition has its status, as one CamelCase word.")
  private String reason;

  @JsonProperty
  @JsonPropertyDescription("What a person needs to know about the condition.")
  private String message;

  @JsonProperty
  @JsonPropertyDescription(
      "The metadata.generation of the OrderedRelease the condition was computed for.")
  private Long observedGeneration;

  @JsonProperty
  @JsonPropertyDescription("When the status last changed (RFC 3339).")
  private String lastTransitionTime;

  private ConditionSchema() {}
}
