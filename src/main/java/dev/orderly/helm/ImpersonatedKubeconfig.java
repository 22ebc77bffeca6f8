package dev.orderly.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;

/**
 * A copy of a kubeconfig whose current user impersonates someone else ({@code as}, as {@code
 * kubectl --as} writes it), for Helm: client-go sends it as the {@code Impersonate-User} header on
 * every request. No groups are named: for a ServiceAccount's user name the API server adds the
 * ServiceAccount's groups itself, and the operator needs no right to impersonate groups (which
 * Kubernetes cannot limit to some, {@code system:masters} included). Pure.
 */
public final class ImpersonatedKubeconfig {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Where a pod finds its ServiceAccount's CA and token. */
  public static final String POD_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private ImpersonatedKubeconfig() {}

  /**
   * {@code kubeconfig} with its current context's user acting as {@code user}; any impersonation it
   * had is replaced. Other contexts and users are left as they are.
   *
   * @throws IllegalArgumentException when it does not parse or has no current context or user
   */
  public static String rewrite(String kubeconfig, String user) {
    JsonNode root;
    try {
      root = YAML.readTree(kubeconfig);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the kubeconfig does not parse: " + e.getOriginalMessage(), e);
    }
    if (!(root instanceof ObjectNode config)) {
      throw new IllegalArgumentException("the kubeconfig is not a map");
    }
    String context = config.path("current-context").asText("");
    if (context.isEmpty()) {
      throw new IllegalArgumentException("the kubeconfig has no current-context");
    }
    String userName = named(config.path("contexts"), context, "context").path("user").asText("");
    if (userName.isEmpty()) {
      throw new IllegalArgumentException("context " + context + " of the kubeconfig has no user");
    }
    if (!(named(config.path("users"), userName, "user") instanceof ObjectNode credentials)) {
      throw new IllegalArgumentException("user " + userName + " of the kubeconfig has no fields");
    }
    credentials.remove(List.of("as", "as-uid", "as-groups", "as-user-extra"));
    credentials.put("as", user);
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A kubeconfig for a pod's own ServiceAccount ({@code server}, its CA and token file under {@link
   * #POD_ACCOUNT_DIR}; client-go reads the token file again as the kubelet rotates it).
   */
  public static String inCluster(String server) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: in-cluster",
        "  cluster:",
        "    server: " + server,
        "    certificate-authority: " + POD_ACCOUNT_DIR + "/ca.crt",
        "users:",
        "- name: pod",
        "  user:",
        "    tokenFile: " + POD_ACCOUNT_DIR + "/token",
        "contexts:",
        "- name: in-cluster",
        "  context:",
        "    cluster: in-cluster",
        "    user: pod",
        "current-context: in-cluster",
        "");
  }

  private static JsonNode named(JsonNode list, String name, String what) {
    for (JsonNode item : list) {
      if (name.equals(item.path("name").asText())) {
        return item.path(what);
      }
    }
    throw new IllegalArgumentException("the kubeconfig has no " + what + " named " + name);
  }
}
