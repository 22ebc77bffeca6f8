package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap or Secret, in the object's namespace, that holds YAML values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValuesReference {
  /** The kinds a values reference may name. */
  public enum Kind {
    ConfigMap,
    Secret
  }

  @Required
  @JsonPropertyDescription("ConfigMap or Secret.")
  private Kind kind;

  @Required
  @JsonPropertyDescription("The object's name, in the OrderedRelease's namespace.")
  private String name;

  @Default("values.yaml")
  @JsonPropertyDescription("The key that holds the YAML values. Defaults to values.yaml.")
  private String key;

  @JsonPropertyDescription("When true, a missing object or key is skipped instead of an error.")
  private boolean optional;

  public ValuesReference() {}

  public ValuesReference(Kind kind, String name, String key) {
    this.kind = kind;
    this.name = name;
    this.key = key;
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key == null || key.isBlank() ? "values.yaml" : key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public boolean isOptional() {
    return optional;
  }

  public void setOptional(boolean optional) {
    this.optional = optional;
  }

  @Override
  public String toString() {
    return kind + "/" + name + " key " + getKey();
  }
}
