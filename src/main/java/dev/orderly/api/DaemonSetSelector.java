package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.orderly.api.schema.LabelSelectorSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Selects DaemonSets that are not in the chart but must come down with it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaemonSetSelector {
  @JsonPropertyDescription("The namespace to look in. Defaults to the release's namespace.")
  private String namespace;

  @Required
  @SchemaFrom(type = LabelSelectorSchema.class)
  @JsonPropertyDescription("A label selector the DaemonSets must match.")
  private LabelSelector selector;

  public DaemonSetSelector() {}

  public DaemonSetSelector(String namespace, LabelSelector selector) {
    this.namespace = namespace;
    this.selector = selector;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }
}
