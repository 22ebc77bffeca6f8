package dev.orderly.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of OrderedRelease's spec and status that this operator's CRD has and an installed CRD
 * lacks. The API server prunes fields its schema does not know, so an operator newer than its CRD
 * would silently lose them: spec.serviceAccountName above all, and with it the ServiceAccount a
 * release should act as, which would make it act as the operator; status.teardown.ledger, and with
 * it the notice of a lost teardown ledger.
 */
public final class CrdSchemaGap {
  /** How deep into spec the comparison goes: deep enough for dependsOn[].namespace. */
  private static final int MAX_DEPTH = 4;

  private CrdSchemaGap() {}

  /**
   * The dotted paths (e.g. {@code spec.serviceAccountName}, {@code spec.dependsOn[].namespace},
   * {@code status.teardown.ledger}) in {@code expected}'s served {@link OrderedRelease#VERSION}
   * that {@code installed} lacks; {@code spec} and {@code status} when {@code installed} does not
   * serve that version with a schema at all.
   */
  public static List<String> missing(
      CustomResourceDefinition expected, CustomResourceDefinition installed) {
    List<String> missing = new ArrayList<>();
    for (String root : List.of("spec", "status")) {
      Optional<JSONSchemaProps> wanted = schemaOf(expected, root);
      if (wanted.isEmpty()) {
        throw new IllegalArgumentException(
            "the expected CRD has no " + root + " schema for " + OrderedRelease.VERSION);
      }
      Optional<JSONSchemaProps> have = schemaOf(installed, root);
      if (have.isEmpty()) {
        missing.add(root);
      } else {
        compare(root, wanted.get(), have.get(), 1, missing);
      }
    }
    return missing;
  }

  private static void compare(
      String path, JSONSchemaProps wanted, JSONSchemaProps have, int depth, List<String> missing) {
    if (Boolean.TRUE.equals(have.getXKubernetesPreserveUnknownFields()) || depth > MAX_DEPTH) {
      // Nothing under here is pruned.
      return;
    }
    if (wanted.getItems() != null && wanted.getItems().getSchema() != null) {
      if (have.getItems() != null && have.getItems().getSchema() != null) {
        compare(
            path + "[]",
            wanted.getItems().getSchema(),
            have.getItems().getSchema(),
            depth,
            missing);
      }
      return;
    }
    Map<String, JSONSchemaProps> haveProperties =
        have.getProperties() == null ? Map.of() : have.getProperties();
    if (wanted.getProperties() == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> field : wanted.getProperties().entrySet()) {
      String fieldPath = path + "." + field.getKey();
      JSONSchemaProps existing = haveProperties.get(field.getKey());
      if (existing == null) {
        missing.add(fieldPath);
      } else {
        compare(fieldPath, field.getValue(), existing, depth + 1, missing);
      }
    }
  }

  private static Optional<JSONSchemaProps> schemaOf(CustomResourceDefinition crd, String root) {
    if (crd.getSpec() == null || crd.getSpec().getVersions() == null) {
      return Optional.empty();
    }
    return crd.getSpec().getVersions().stream()
        .filter(version -> OrderedRelease.VERSION.equals(version.getName()))
        .filter(version -> Boolean.TRUE.equals(version.getServed()))
        .map(CustomResourceDefinitionVersion::getSchema)
        .filter(schema -> schema != null && schema.getOpenAPIV3Schema() != null)
        .map(schema -> schema.getOpenAPIV3Schema().getProperties())
        .filter(properties -> properties != null && properties.get(root) != null)
        .map(properties -> properties.get(root))
        .findFirst();
  }
}
