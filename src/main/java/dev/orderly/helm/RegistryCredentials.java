package dev.orderly.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A username and password for a registry or repository, and where they came from (for messages,
 * never the secret itself).
 *
 * @param origin e.g. {@code Secret agents/registry}
 */
public record RegistryCredentials(String username, String password, String origin) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The value of an {@code Authorization: Basic} header. */
  public String basicAuthorization() {
    String pair = username + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "credentials of " + origin; // never the password
  }

  /**
   * The entry for {@code host} in a Docker config ({@code .dockerconfigjson} or {@code
   * ~/.docker/config.json}, also Helm's registry config): {@code auths.<host>} with {@code
   * username}/{@code password} or {@code auth} (base64 of user:password). Keys may carry a scheme
   * or a path ({@code https://host/v1/}), as {@code docker login} writes them.
   *
   * @throws IllegalArgumentException when the text is not such a config
   */
  public static Optional<RegistryCredentials> fromDockerConfig(
      String json, String host, String origin) {
    JsonNode auths;
    try {
      auths = JSON.readTree(json).path("auths");
    } catch (IOException e) {
      throw new IllegalArgumentException("is not valid JSON");
    }
    if (!auths.isObject()) {
      throw new IllegalArgumentException("has no \"auths\" map");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (hostOf(entry.getKey()).equals(host)) {
        return Optional.of(fromEntry(entry.getValue(), host, origin));
      }
    }
    return Optional.empty();
  }

  private static RegistryCredentials fromEntry(JsonNode entry, String host, String origin) {
    String username = entry.path("username").asText("");
    String password = entry.path("password").asText("");
    String auth = entry.path("auth").asText("");
    if (username.isEmpty() && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("has an \"auth\" for " + host + " that is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "has an \"auth\" for " + host + " that is not base64 of username:password");
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    if (username.isEmpty()) {
      throw new IllegalArgumentException("has no username for " + host);
    }
    return new RegistryCredentials(username, password, origin);
  }

  private static String hostOf(String key) {
    String host = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
