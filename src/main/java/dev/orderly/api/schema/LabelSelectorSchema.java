package dev.orderly.api.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** The schema of a Kubernetes label selector; both parts must match. */
public final class LabelSelectorSchema {
  @JsonProperty
  @JsonPropertyDescription("Labels an object must carry with exactly these values.")
  private Map<String, String> matchLabels;

  @JsonProperty
  @JsonPropertyDescription("Label requirements an object must meet, all of them.")
  private List<Requirement> matchExpressions;

  private LabelSelectorSchema() {}

  /** One label requirement. */
  public static final class Requirement {
    @JsonProperty
    @JsonPropertyDescription("The label's key.")
    private String key;

    @JsonProperty
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    private String operator;

    @JsonProperty
    @JsonPropertyDescription(
        "The values for In and NotIn; must be empty for Exists and DoesNotExist.")
    private List<String> values;

    private Requirement() {}
  }
}
