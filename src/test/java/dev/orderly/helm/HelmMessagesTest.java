package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HelmMessagesTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # Helm's message | what a condition shows
          template: agent/templates/controller.yaml:8:28: executing "x" at <.Values.controller.replicas>: can't evaluate field replicas: use --debug flag to render out invalid yaml | template: agent/templates/controller.yaml:8:28: executing "x" at <.Values.controller.replicas>: can't evaluate field replicas
          YAML parse error on agent/templates/cm.yaml: error converting YAML to JSON\\n\\nUse --debug flag to render out invalid YAML | YAML parse error on agent/templates/cm.yaml: error converting YAML to JSON
          chart "agent" matching 1.0.0 not found in example index. (try 'helm repo update') | chart "agent" matching 1.0.0 not found in example index.
          no repository definition for https://charts.example.com. Please add them via 'helm repo add' | no repository definition for https://charts.example.com
          An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: redis | An error occurred while checking for chart dependencies: found in Chart.yaml, but missing in charts/ directory: redis
          release agent failed: timed out waiting for the condition | release agent failed: timed out waiting for the condition
          """)
  void takesOutOnlyTheCommandLineAdvice(String helm, String shown) {
    assertThat(HelmMessages.withoutCliAdvice(helm.replace("\\n", "\n"))).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          InstallFailed | helm install failed: boom: use --debug flag to render out invalid yaml
          RenderFailed  | the chart does not render: boom\\n\\nUse --debug flag to render out invalid YAML
          """)
  void aHelmFailureCarriesNoCommandLineAdvice(String reason, String message) {
    HelmFailure failure = new HelmFailure(reason, message.replace("\\n", "\n"), false);
    assertThat(failure.getMessage()).endsWith("boom").doesNotContainIgnoringCase("--debug");
  }
}
