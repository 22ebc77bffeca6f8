package dev.orderly.reconciler;

import dev.orderly.api.ChartSource;
import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmFailure;
import dev.orderly.helm.OciReference;
import dev.orderly.helm.RegistryCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the repository credentials {@code chart.secretRef} names, from the OrderedRelease's own
 * namespace: a {@code kubernetes.io/dockerconfigjson} Secret (the entry for the registry's host) or
 * a Secret with {@code username} and {@code password} keys.
 */
public class ChartCredentialsResolver {
  static final String DOCKER_CONFIG_TYPE = "kubernetes.io/dockerconfigjson";
  static final String DOCKER_CONFIG_KEY = ".dockerconfigjson";

  private final ValuesResolver.ObjectLookup lookup;

  public ChartCredentialsResolver(ValuesResolver.ObjectLookup lookup) {
    this.lookup = lookup;
  }

  /**
   * The credentials, or empty when the chart names no Secret.
   *
   * @throws HelmFailure with reason CredentialsNotFound naming the missing Secret, key or entry
   */
  public Optional<RegistryCredentials> resolve(OrderedRelease resource) {
    ChartSource chart = resource.getSpec().getChart();
    if (chart == null || chart.getSecretRef() == null || chart.getRepository() == null) {
      return Optional.empty();
    }
    String namespace = resource.getMetadata().getNamespace();
    String name = chart.getSecretRef().getName();
    String origin = "Secret " + namespace + "/" + name;
    Secret secret =
        lookup
            .secret(namespace, name)
            .orElseThrow(() -> missing("chart.secretRef: " + origin + " does not exist"));
    if (DOCKER_CONFIG_TYPE.equals(secret.getType())) {
      String host = host(chart);
      String json =
          key(secret, DOCKER_CONFIG_KEY)
              .orElseThrow(
                  () -> missing("chart.secretRef: " + origin + " has no key " + DOCKER_CONFIG_KEY));
      try {
        return Optional.of(
            RegistryCredentials.fromDockerConfig(json, host, origin)
                .orElseThrow(
                    () ->
                        missing(
                            "chart.secretRef: the "
                                + DOCKER_CONFIG_KEY
                                + " of "
                                + origin
                                + " has no entry for "
                                + host)));
      } catch (IllegalArgumentException e) {
        throw missing(
            "chart.secretRef: the " + DOCKER_CONFIG_KEY + " of " + origin + " " + e.getMessage());
      }
    }
    Optional<String> username = key(secret, "username");
    Optional<String> password = key(secret, "password");
    if (username.isEmpty() || password.isEmpty()) {
      throw missing(
          "chart.secretRef: "
              + origin
              + " needs keys username and password, or type "
              + DOCKER_CONFIG_TYPE);
    }
    return Optional.of(new RegistryCredentials(username.get(), password.get(), origin));
  }

  /** The host (and port) credentials are looked up for in a Docker config. */
  private static String host(ChartSource chart) {
    if (chart.fromOciRegistry()) {
      try {
        return OciReference.of(chart.getRepository(), chart.getName(), false).registry();
      } catch (IllegalArgumentException e) {
        throw new HelmFailure(Reasons.INVALID_SPEC, "chart: " + e.getMessage(), true);
      }
    }
    try {
      return String.valueOf(URI.create(chart.getRepository()).getAuthority());
    } catch (IllegalArgumentException e) {
      throw new HelmFailure(
          Reasons.INVALID_SPEC,
          "chart.repository '" + chart.getRepository() + "' is not a valid URL",
          true);
    }
  }

  private static Optional<String> key(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      byte[] decoded = Base64.getDecoder().decode(secret.getData().get(key));
      return Optional.of(new String(decoded, StandardCharsets.UTF_8).strip());
    }
    return Optional.ofNullable(secret.getStringData()).map(data -> data.get(key));
  }

  private static HelmFailure missing(String message) {
    return new HelmFailure(Reasons.CREDENTIALS_NOT_FOUND, message, true);
  }
}
