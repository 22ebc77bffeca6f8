package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubectl explain} has something to say about every field of the checked-in CRD. */
class CrdDescriptionsTest {
  private static JSONSchemaProps root;

  @BeforeAll
  static void readTheCrd() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of("crds").resolve(CrdFile.NAME)),
            CustomResourceDefinition.class);
    root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  @Test
  void everyPropertyHasADescription() {
    List<String> visited = new ArrayList<>();
    List<String> undescribed = new ArrayList<>();
    walk("", root, visited, undescribed);

    assertThat(visited).contains("spec", "status", "spec.uninstall.timeout");
    assertThat(undescribed).as("properties without a description").isEmpty();
  }

  @Test
  void theUninstallTimeoutNamesTheObjectPhasesItCovers() {
    assertThat(property("spec.uninstall.timeout").getDescription())
        .contains("from CustomResources through Rbac")
        .doesNotContain("whole teardown");
    assertThat(property("status.teardown.deadline").getDescription())
        .contains("from CustomResources through Rbac");
  }

  @Test
  void theServiceAccountSaysWhichCallsAreItsAndWhichTheOperators() {
    assertThat(property("spec.serviceAccountName").getDescription())
        .doesNotContain("every API call")
        .contains("Helm's install and upgrade")
        .contains("listing, labelling and unlocking")
        .contains("The operator's own identity keeps the rest")
        .contains("reading Helm's records to decide ownership, plan and observe a teardown")
        .contains("may name any ServiceAccount of this namespace");
  }

  private static void walk(
      String path, JSONSchemaProps schema, List<String> visited, List<String> undescribed) {
    if (schema == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
      String name = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
      visited.add(name);
      String description = property.getValue().getDescription();
      if (description == null || description.isBlank()) {
        undescribed.add(name);
      }
      walk(name, property.getValue(), visited, undescribed);
    }
    if (schema.getItems() != null) {
      walk(path + "[]", schema.getItems().getSchema(), visited, undescribed);
    }
    if (schema.getAdditionalProperties() != null) {
      walk(path + "{}", schema.getAdditionalProperties().getSchema(), visited, undescribed);
    }
  }

  private static JSONSchemaProps property(String dotted) {
    JSONSchemaProps schema = root;
    for (String name : dotted.split("\\.")) {
      schema = schema.getProperties().get(name);
      assertThat(schema).as("property %s", dotted).isNotNull();
    }
    return schema;
  }
}
