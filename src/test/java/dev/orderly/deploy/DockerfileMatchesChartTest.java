package dev.orderly.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.helm.ChartSourcePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The image the Dockerfile builds runs the way the chart runs it: same user, paths, command. */
class DockerfileMatchesChartTest {
  private static List<String> dockerfile;
  private static JsonNode pod;

  @BeforeAll
  static void read() throws IOException {
    dockerfile = Files.readAllLines(Path.of("Dockerfile"));
    pod =
        OrderlyChart.render("{}")
            .get("Deployment", OrderlyChart.NAMESPACE, "orderly")
            .at("/spec/template/spec");
  }

  @Test
  void theImageUserIsTheUserThePodRunsAs() {
    String user = pod.at("/securityContext/runAsUser").asText();
    String group = pod.at("/securityContext/runAsGroup").asText();

    assertThat(instruction("USER")).hasValue(user + ":" + group);
    assertThat(pod.at("/containers/0/securityContext/runAsUser").asText()).isEqualTo(user);
    assertThat(pod.at("/containers/0/securityContext/runAsGroup").asText()).isEqualTo(group);
    assertThat(dockerfile)
        .anyMatch(line -> line.contains("--uid " + user) && line.contains("--gid " + group));
  }

  @Test
  void theJvmTempDirIsTheWritableEmptyDir() {
    assertThat(dockerfile)
        .anyMatch(
            line ->
                line.startsWith("ENV JAVA_TOOL_OPTIONS=")
                    && line.contains("-Djava.io.tmpdir=/tmp"));
    assertThat(pod.at("/containers/0/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
    assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
  }

  @Test
  void theChartKeepsTheEntrypointAndReplacesOnlyTheCommandsArguments() {
    assertThat(instruction("ENTRYPOINT"))
        .hasValue("[\"java\", \"-jar\", \"/opt/orderly/orderly.jar\"]");
    assertThat(instruction("CMD")).hasValue("[\"run\"]");
    assertThat(pod.at("/containers/0/command").isMissingNode()).isTrue();
    assertThat(pod.at("/containers/0/args/0").asText()).isEqualTo("run");
  }

  @Test
  void theImagesChartsLieUnderTheDefaultAllowedChartPath() {
    assertThat(dockerfile)
        .anyMatch(line -> line.equals("COPY charts/examples /opt/orderly/charts/examples"));
    assertThat(texts(pod.at("/containers/0/args")))
        .contains("--allowed-chart-paths=" + ChartSourcePolicy.IMAGE_CHARTS);
    assertThat(ChartSourcePolicy.defaults().chartDirectories())
        .containsExactly(ChartSourcePolicy.IMAGE_CHARTS);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new java.util.ArrayList<>();
    array.forEach(item -> texts.add(item.asText()));
    return texts;
  }

  /** The argument of the last {@code keyword} instruction, as Docker applies the last one. */
  private static Optional<String> instruction(String keyword) {
    Optional<String> last = Optional.empty();
    for (String line : dockerfile) {
      if (line.startsWith(keyword + " ")) {
        last = Optional.of(line.substring(keyword.length() + 1).trim());
      }
    }
    return last;
  }
}
