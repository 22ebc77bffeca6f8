package dev.orderly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in CRD must be exactly what the build generates from the Java model. */
class CrdInSyncTest {
  private static final String FILE = "orderedreleases.orderly.dev-v1.yml";

  @Test
  void checkedInCrdEqualsGeneratedCrd() throws IOException {
    // The generator writes into the build's classes directory, which is on the test classpath.
    Path generated = Path.of(System.getProperty("orderly.classesDir", "target/classes"));
    String fromBuild = Files.readString(generated.resolve("META-INF/fabric8").resolve(FILE));
    String checkedIn = Files.readString(Path.of("crds").resolve(FILE));
    assertThat(checkedIn)
        .as(
            "crds/%s is stale: copy %s over it and commit",
            FILE, generated.resolve("META-INF/fabric8").resolve(FILE))
        .isEqualTo(fromBuild);
  }

  @Test
  void schemaDescribesTheSpecForKubectlExplain() throws IOException {
    String crd = Files.readString(Path.of("crds").resolve(FILE));
    assertThat(crd)
        .contains("x-kubernetes-preserve-unknown-fields: true")
        .contains("description: \"The chart to install")
        .contains("shortNames:\n    - \"orel\"")
        .contains("status: {}");
  }

  @Test
  void theSchemaRequiresSpec() throws IOException {
    JsonNode crd =
        new ObjectMapper(new YAMLFactory()).readTree(Path.of("crds").resolve(FILE).toFile());
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");

    assertThat(schema.path("required")).extracting(JsonNode::asText).containsExactly("spec");
  }
}
