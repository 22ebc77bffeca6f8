package dev.orderly.helm;

import java.util.Optional;

/**
 * Checks a repository chart's name and version before either is used: both reach URLs, cache
 * lookups and messages, so neither may carry a path separator, {@code ..} or a control character.
 */
public final class ChartCoordinates {
  /** The longest name or version accepted; Helm's own names are far shorter. */
  public static final int MAX_LENGTH = 128;

  private ChartCoordinates() {}

  /** What is wrong with {@code name} as a chart name, if anything. */
  public static Optional<String> nameProblem(String name) {
    return problem("name", name, "a chart name such as nginx or node-agent");
  }

  /** What is wrong with {@code version} as a chart version (or range), if anything. */
  public static Optional<String> versionProblem(String version) {
    return problem("version", version, "a version such as 1.2.3 (or a range for OCI)");
  }

  private static Optional<String> problem(String what, String value, String example) {
    if (value == null || value.isBlank()) {
      return Optional.of("chart " + what + " is empty: give " + example);
    }
    String why = null;
    if (value.length() > MAX_LENGTH) {
      why = "is longer than " + MAX_LENGTH + " characters";
    } else if (value.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x7f)) {
      why = "contains a control character";
    } else if (value.contains("/") || value.contains("\\")) {
      why = "contains a path separator (/ or \\)";
    } else if (value.contains("..")) {
      why = "contains '..'";
    }
    return why == null
        ? Optional.empty()
        : Optional.of(
            "chart " + what + " '" + RemoteText.excerpt(value) + "' " + why + ": give " + example);
  }
}
