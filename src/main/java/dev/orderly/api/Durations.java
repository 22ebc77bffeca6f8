package dev.orderly.api;

import java.time.Duration;
import java.util.regex.Matcher;

/** Parses Kubernetes-style durations ("90s", "5m", "1h30m", "250ms"). */
public final class Durations {
  /** The schema pattern for a duration field. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  /**
   * Parses {@code text}, or returns {@code fallback} when it is null or blank.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration
   */
  public static Duration parse(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    if (!text.matches(PATTERN)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; use a number with ms, s, m or h, such as 90s or 5m");
    }
    Matcher matcher = PART.matcher(text);
    double millis = 0;
    while (matcher.find()) {
      double amount = Double.parseDouble(matcher.group(1));
      millis +=
          switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
          };
    }
    return Duration.ofMillis(Math.round(millis));
  }
}
