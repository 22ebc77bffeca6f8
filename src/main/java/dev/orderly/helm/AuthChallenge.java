package dev.orderly.helm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge of a registry: {@code Basic realm="..."}, or {@code Bearer
 * realm="https://auth...",service="...",scope="..."} for the token flow of the distribution spec.
 *
 * @param scheme {@code basic} or {@code bearer}, lowercase
 * @param parameters the auth-params, names lowercase
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {
  private static final Pattern PARAM =
      Pattern.compile("\\s*([A-Za-z0-9_-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]*)\\s*,?");

  /** The challenge in {@code header}, if it is one. */
  public static Optional<AuthChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.strip();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (space > 0) {
      Matcher m = PARAM.matcher(text.substring(space + 1));
      while (m.lookingAt()) {
        String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
        parameters.put(m.group(1).toLowerCase(Locale.ROOT), value);
        m.region(m.end(), m.regionEnd());
      }
    }
    return Optional.of(new AuthChallenge(scheme, Map.copyOf(parameters)));
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  /** An auth-param by (lowercase) name. */
  public Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }
}
