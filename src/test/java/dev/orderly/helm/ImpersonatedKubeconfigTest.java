package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

class ImpersonatedKubeconfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      clusters:
      - name: prod
        cluster:
          server: https://10.0.0.1:6443
          certificate-authority-data: Q0E=
      users:
      - name: operator
        user:
          token: secret-token
          as: someone-else
          as-groups: [system:masters]
      - name: other
        user:
          token: other-token
      contexts:
      - name: main
        context: {cluster: prod, user: operator, namespace: orderly-system}
      - name: spare
        context: {cluster: prod, user: other}
      current-context: main
      """;

  @Test
  void theCurrentUserImpersonatesTheServiceAccountAndNoGroup() throws Exception {
    String rewritten =
        ImpersonatedKubeconfig.rewrite(KUBECONFIG, "system:serviceaccount:team-a:deployer");

    JsonNode config = YAML.readTree(rewritten);
    JsonNode operator = config.path("users").get(0).path("user");
    assertThat(operator.path("as").asText()).isEqualTo("system:serviceaccount:team-a:deployer");
    assertThat(operator.has("as-groups"))
        .as("groups are left to the API server, which adds the ServiceAccount's own")
        .isFalse();
    assertThat(operator.path("token").asText()).isEqualTo("secret-token");
    assertThat(config.path("users").get(1).path("user").has("as")).isFalse();
    assertThat(config.path("current-context").asText()).isEqualTo("main");
    // The connection itself is unchanged.
    Config connection = Config.fromKubeconfig(rewritten);
    assertThat(connection.getMasterUrl()).startsWith("https://10.0.0.1:6443");
    assertThat(connection.getNamespace()).isEqualTo("orderly-system");
    assertThat(rewritten).contains("token: \"other-token\"").doesNotContain("system:masters");
  }

  @Test
  void aKubeconfigWithoutACurrentUserIsRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                ImpersonatedKubeconfig.rewrite(
                    KUBECONFIG.replace("current-context: main", "current-context: gone"), "u"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the kubeconfig has no context named gone");
    assertThatThrownBy(
            () ->
                ImpersonatedKubeconfig.rewrite(
                    KUBECONFIG.replace("current-context: main\n", ""), "u"))
        .hasMessage("the kubeconfig has no current-context");
    assertThatThrownBy(() -> ImpersonatedKubeconfig.rewrite("[a, b", "u"))
        .hasMessageStartingWith("the kubeconfig does not parse");
  }

  @Test
  void aPodsOwnAccountReadsTheTokenFileHelmRereads() {
    String inCluster = ImpersonatedKubeconfig.inCluster("https://10.96.0.1:443");
    String rewritten = ImpersonatedKubeconfig.rewrite(inCluster, "system:serviceaccount:a:b");

    assertThat(rewritten)
        .contains("tokenFile: \"/var/run/secrets/kubernetes.io/serviceaccount/token\"")
        .contains("certificate-authority: \"/var/run/secrets/kubernetes.io/serviceaccount/ca.crt\"")
        .contains("as: \"system:serviceaccount:a:b\"")
        .contains("server: \"https://10.96.0.1:443\"");
  }
}
