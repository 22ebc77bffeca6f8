package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in CRD must be exactly what the build generates from the Java model, with the printer
 * columns in declared order ({@link CrdFile}). Run with {@code -Dorderly.updateCrd=true} to rewrite
 * it and its copies first.
 */
class CrdInSyncTest {
  private static final String UPDATE_PROPERTY = "orderly.updateCrd";

  @Test
  void checkedInCrdEqualsGeneratedCrd() throws IOException {
    String expected = CrdFile.withDeclaredColumnOrder(CrdFile.generated());
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      for (Path location : CrdFile.LOCATIONS) {
        Files.writeString(location.resolve(CrdFile.NAME), expected);
      }
    }
    String checkedIn = Files.readString(Path.of("crds").resolve(CrdFile.NAME));
    assertThat(checkedIn)
        .as(
            "crds/%s is stale: run mvn test -Dtest=CrdInSyncTest -D%s=true, which rewrites it"
                + " and its copies from %s, and commit",
            CrdFile.NAME, UPDATE_PROPERTY, CrdFile.generatedPath())
        .isEqualTo(expected);
  }

  @Test
  void schemaDescribesTheSpecForKubectlExplain() throws IOException {
    String crd = Files.readString(Path.of("crds").resolve(CrdFile.NAME));
    assertThat(crd)
        .contains("x-kubernetes-preserve-unknown-fields: true")
        .contains("description: \"The chart to install")
        .contains("shortNames:\n    - \"orel\"")
        .contains("status: {}");
  }

  @Test
  void theSchemaRequiresSpec() throws IOException {
    JsonNode crd =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("crds").resolve(CrdFile.NAME).toFile());
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");

    assertThat(schema.path("required")).extracting(JsonNode::asText).containsExactly("spec");
  }
}
