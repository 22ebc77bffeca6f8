package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Another OrderedRelease this one depends on, by name and namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DependencyReference {
  @Required
  @JsonPropertyDescription("The OrderedRelease's metadata.name.")
  private String name;

  @JsonPropertyDescription(
      "The OrderedRelease's namespace. Defaults to this OrderedRelease's own namespace. It must be"
          + " a namespace the operator watches.")
  private String namespace;

  public DependencyReference() {}

  public DependencyReference(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

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
}
