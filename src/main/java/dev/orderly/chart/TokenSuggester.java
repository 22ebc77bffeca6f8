package dev.orderly.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Suggests the valid token a misspelt one was meant to be: known mistakes first ({@code
 * pre-uninstall}), then spelling variants ({@code pre_delete}, {@code PreDelete}), then the nearest
 * token by edit distance if it is close enough to be a plausible typo.
 */
final class TokenSuggester {

  private final List<String> vocabulary;
  private final Map<String, String> knownMistakes;

  /**
   * @param vocabulary the valid tokens, in the order ties are broken
   * @param knownMistakes fixes for common wrong tokens, keyed by their canonical form
   */
  TokenSuggester(List<String> vocabulary, Map<String, String> knownMistakes) {
    this.vocabulary = List.copyOf(vocabulary);
    this.knownMistakes = Map.copyOf(knownMistakes);
  }

  /** The fix for {@code token}: a known correction, the closest valid token, or the full list. */
  String suggest(String token) {
    return closest(token).orElse("one of: " + String.join(", ", vocabulary));
  }

  Optional<String> closest(String token) {
    String canonical = canonicalForm(token);
    if (vocabulary.contains(canonical)) {
      return Optional.of(canonical);
    }
    if (knownMistakes.containsKey(canonical)) {
      return Optional.of(knownMistakes.get(canonical));
    }
    // Known mistakes take part too, so a misspelt "post-uninstal" still leads to post-delete.
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates()) {
      int distance = editDistance(canonical, candidate);
      // A third of the word (at least two edits) still reads as a typo; more is a different word.
      boolean plausibleTypo = distance <= Math.max(2, candidate.length() / 3);
      if (plausibleTypo && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best).map(c -> knownMistakes.getOrDefault(c, c));
  }

  private List<String> candidates() {
    List<String> candidates = new ArrayList<>(vocabulary);
    knownMistakes.keySet().stream().sorted().forEach(candidates::add);
    return candidates;
  }

  /** {@code PreDelete}, {@code PRE_DELETE} and {@code pre delete} all become {@code pre-delete}. */
  static String canonicalForm(String token) {
    String hyphenated = token.strip().replaceAll("([a-z0-9])([A-Z])", "$1-$2");
    return hyphenated.toLowerCase(Locale.ROOT).replaceAll("[\\s_.]+", "-");
  }

  /** Levenshtein distance: insertions, deletions and substitutions each cost one. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
