package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrdSchemaGapTest {
  private final CustomResourceDefinition expected = checkedIn();

  @Test
  void theSameCrdLacksNothing() {
    assertThat(CrdSchemaGap.missing(expected, checkedIn())).isEmpty();
  }

  @Test
  void aCrdFromBeforeServiceAccountNameLacksIt() {
    CustomResourceDefinition old = checkedIn();
    spec(old).getProperties().remove("serviceAccountName");

    assertThat(CrdSchemaGap.missing(expected, old)).containsExactly("spec.serviceAccountName");
  }

  @Test
  void aNestedFieldInsideAListIsNamedWithItsPath() {
    CustomResourceDefinition old = checkedIn();
    spec(old)
        .getProperties()
        .get("dependsOn")
        .getItems()
        .getSchema()
        .getProperties()
        .remove("namespace");

    assertThat(CrdSchemaGap.missing(expected, old)).containsExactly("spec.dependsOn[].namespace");
  }

  @Test
  void aCrdFromBeforeTheTeardownLedgerLacksItsStatusField() {
    CustomResourceDefinition old = checkedIn();
    old.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("status")
        .getProperties()
        .get("teardown")
        .getProperties()
        .remove("ledger");

    assertThat(CrdSchemaGap.missing(expected, old)).containsExactly("status.teardown.ledger");
  }

  @Test
  void fieldsTheInstalledCrdHasAndThisOperatorLacksDoNotMatter() {
    CustomResourceDefinition newer = checkedIn();
    spec(newer).getProperties().put("somethingLater", new JSONSchemaProps());

    assertThat(CrdSchemaGap.missing(expected, newer)).isEmpty();
  }

  @Test
  void underPreservedUnknownFieldsNothingIsPrunedSoNothingIsMissing() {
    CustomResourceDefinition loose = checkedIn();
    JSONSchemaProps dependsOn = spec(loose).getProperties().get("dependsOn");
    dependsOn.getItems().getSchema().setProperties(null);
    dependsOn.getItems().getSchema().setXKubernetesPreserveUnknownFields(true);

    assertThat(CrdSchemaGap.missing(expected, loose)).isEmpty();
  }

  @Test
  void aCrdThatDoesNotServeThisVersionLacksTheWholeSpec() {
    CustomResourceDefinition other = checkedIn();
    other.getSpec().getVersions().get(0).setName("v1beta9");

    assertThat(CrdSchemaGap.missing(expected, other)).containsExactly("spec", "status");
  }

  @Test
  void anExpectedCrdWithoutASchemaIsAProgrammingError() {
    CustomResourceDefinition empty = checkedIn();
    empty.getSpec().getVersions().get(0).setSchema(null);

    assertThatThrownBy(() -> CrdSchemaGap.missing(empty, checkedIn()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static JSONSchemaProps spec(CustomResourceDefinition crd) {
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec");
  }

  private static CustomResourceDefinition checkedIn() {
    try (InputStream in =
        Files.newInputStream(Path.of("crds/orderedreleases.orderly.dev-v1.yml"))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
