package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Secret in the OrderedRelease's own namespace, by name. */
public class SecretReference {
  @Required
  @JsonPropertyDescription("The Secret's name, in the OrderedRelease's namespace.")
  private String name;

  public SecretReference() {}

  public SecretReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
