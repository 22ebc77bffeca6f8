package dev.orderly.helm;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Helm's error messages without the advice meant for its command line ("Use --debug flag to render
 * out invalid YAML", "try 'helm repo update'"): in a condition or an Event there is no flag to pass
 * and no command to run, so the advice only misleads. What went wrong is kept word for word.
 */
public final class HelmMessages {
  private static final List<Pattern> CLI_ADVICE =
      List.of(
          // Helm's CLI appends "\n\nUse --debug ..."; helm-java appends ": use --debug ...".
          Pattern.compile("(?i)[:.]?\\s*use --debug flag to render out invalid yaml"),
          Pattern.compile("\\s*\\(try 'helm repo update'\\)"),
          Pattern.compile("\\.?\\s*Please add them via 'helm repo add'"),
          Pattern.compile("\\.?\\s*Don't forget to add the repo, too \\('helm repo add'\\)"),
          Pattern.compile(
              "\\.?\\s*You may need to run `helm dependency build` to fetch missing"
                  + " dependencies"));

  private HelmMessages() {}

  /** {@code message} without Helm's command-line advice; null stays null. */
  public static String withoutCliAdvice(String message) {
    if (message == null) {
      return null;
    }
    String cleaned = message;
    for (Pattern advice : CLI_ADVICE) {
      cleaned = advice.matcher(cleaned).replaceAll("");
    }
    return cleaned.strip();
  }
}
