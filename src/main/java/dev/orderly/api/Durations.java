package dev.orderly.api;

import java.time.Duration;
import java.util.regex.Matcher;

/** Parses and prints Kubernetes-style durations ("90s", "5m", "1h30m", "250ms"). */
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

  /**
   * Prints {@code duration} as people read durations in kubectl and Helm, without zero units:
   * {@code 10s}, {@code 2m}, {@code 1m30s}, {@code 1h5m}, {@code 1.5s}, {@code 446ms}, {@code 0s}.
   * Precision is a millisecond; the text parses back with {@link #parse}.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    long millis = duration.toMillis();
    if (millis < 1_000) {
      return millis == 0 ? "0s" : millis + "ms";
    }
    StringBuilder text = new StringBuilder();
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long seconds = millis / 1_000 % 60;
    long fraction = millis % 1_000;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0 || fraction > 0) {
      text.append(seconds);
      if (fraction > 0) {
        // Three digits without trailing zeros: 1.5s, 1.25s, 1.005s.
        text.append('.').append(String.format("%03d", fraction).replaceAll("0+$", ""));
      }
      text.append('s');
    }
    return text.toString();
  }
}
