package dev.orderly.chart;

import dev.orderly.chart.TemplateActions.Token;
import dev.orderly.chart.TemplateActions.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites template code in a chart copy so that rendering stays offline and sees the requested API
 * versions, two things helm-java 0.0.21's {@code template} cannot be told:
 *
 * <ul>
 *   <li>{@code lookup}: helm-java renders with Helm's dry-run "none", in which {@code lookup} asks
 *       the cluster named by the default kubeconfig (KUBECONFIG, ~/.kube/config, in-cluster), and
 *       it takes no kubeconfig of its own. Every call becomes {@code omit (dict K 0) K ...}, an
 *       empty map whatever the arguments: exactly what {@code helm template} returns.
 *   <li>{@code .Capabilities.APIVersions.Has X}: helm-java passes no API versions. Added versions
 *       become {@code (or (<original>) (has X (list ...)))}; a cluster's full list replaces Helm's
 *       built-in one as {@code (has X (list ...))}, as {@code helm install} would see it.
 * </ul>
 *
 * Only code inside actions is touched, never text or string literals, so a chart that uses neither
 * renders byte for byte as before. {@link #restore} maps rewritten code back in Helm's messages.
 * Not covered: template text that a chart assembles at run time and passes to {@code tpl}, and uses
 * of {@code .Capabilities.APIVersions} other than {@code Has}.
 */
final class TemplateRewriter {

  private static final String MARKER = "\"orderly.dev/offline-lookup\"";

  /** What replaces the name {@code lookup}; the call's own arguments follow it. */
  static final String OFFLINE_LOOKUP = "omit (dict " + MARKER + " 0) " + MARKER;

  private static final String HAS_CHAIN = ".Capabilities.APIVersions.Has";

  private final KubeCapabilities capabilities;
  private final String versionList;
  private final Map<String, String> originals = new LinkedHashMap<>();

  TemplateRewriter(KubeCapabilities capabilities) {
    this.capabilities = capabilities;
    StringBuilder list = new StringBuilder("(list");
    capabilities.apiVersions().forEach(v -> list.append(' ').append(quote(v)));
    this.versionList = list.append(')').toString();
  }

  /** {@code text} with its template code rewritten; unchanged when nothing applies. */
  String rewrite(String text) {
    if (!text.contains("lookup") && !(rewritesHas() && text.contains(HAS_CHAIN))) {
      return text;
    }
    return TemplateActions.rewrite(text, this::rewriteAction);
  }

  /**
   * Rewrites a file in place if it is text; binary files (containing NUL) are left alone.
   *
   * @return whether the file changed
   */
  boolean rewriteFile(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      for (byte b : bytes) {
        if (b == 0) {
          return false;
        }
      }
      // ISO-8859-1 maps every byte to one char and back, and every token rewritten is ASCII.
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      String rewritten = rewrite(text);
      if (rewritten.equals(text)) {
        return false;
      }
      Files.write(file, rewritten.getBytes(StandardCharsets.ISO_8859_1));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file, e);
    }
  }

  /** {@code message} with rewritten code shown as the chart wrote it. */
  String restore(String message) {
    String restored = message;
    List<Map.Entry<String, String>> longestFirst = new ArrayList<>(originals.entrySet());
    longestFirst.sort(Comparator.comparingInt(e -> -e.getKey().length()));
    for (Map.Entry<String, String> entry : longestFirst) {
      restored = restored.replace(entry.getKey(), entry.getValue());
    }
    return restored;
  }

  private boolean rewritesHas() {
    return capabilities.fromCluster() || !capabilities.apiVersions().isEmpty();
  }

  private String rewriteAction(List<Token> tokens) {
    StringBuilder code = new StringBuilder();
    int i = 0;
    while (i < tokens.size()) {
      Token token = tokens.get(i);
      if (token.type() == Type.WORD && token.text().equals("lookup")) {
        code.append(replaced(OFFLINE_LOOKUP, "lookup"));
        i++;
      } else if (isHasCall(tokens, i)) {
        int argEnd = argumentEnd(tokens, nextNonSpace(tokens, i + 1));
        if (argEnd < 0) {
          code.append(token.text());
          i++;
          continue;
        }
        String original = TemplateActions.text(tokens.subList(i, argEnd));
        String argument = TemplateActions.text(tokens.subList(nextNonSpace(tokens, i + 1), argEnd));
        code.append(replaced(hasCall(original, argument), original));
        i = argEnd;
      } else {
        code.append(token.text());
        i++;
      }
    }
    return code.toString();
  }

  private String hasCall(String original, String argument) {
    String inList = "(has " + argument + " " + versionList + ")";
    return capabilities.fromCluster() ? inList : "(or (" + original + ") " + inList + ")";
  }

  private boolean isHasCall(List<Token> tokens, int i) {
    Token token = tokens.get(i);
    if (!rewritesHas() || token.type() != Type.WORD || !token.text().endsWith(HAS_CHAIN)) {
      return false;
    }
    // `(expr).Capabilities...` has a receiver the rewrite would have to carry along: left alone.
    boolean afterParenthesis = i > 0 && tokens.get(i - 1).type() == Type.CLOSE;
    return !(afterParenthesis && token.text().startsWith("."));
  }

  private static int nextNonSpace(List<Token> tokens, int from) {
    int i = from;
    while (i < tokens.size() && tokens.get(i).type() == Type.SPACE) {
      i++;
    }
    return i;
  }

  /** Where the single argument starting at {@code start} ends, or -1 when there is none. */
  private static int argumentEnd(List<Token> tokens, int start) {
    if (start >= tokens.size()) {
      return -1;
    }
    Token first = tokens.get(start);
    switch (first.type()) {
      case LITERAL:
        return start + 1;
      case WORD:
        return first.text().equals("-") ? -1 : start + 1;
      case OPEN:
        int depth = 0;
        for (int i = start; i < tokens.size(); i++) {
          Type type = tokens.get(i).type();
          depth += type == Type.OPEN ? 1 : type == Type.CLOSE ? -1 : 0;
          if (depth == 0) {
            return i + 1;
          }
        }
        return -1;
      default:
        return -1;
    }
  }

  private String replaced(String replacement, String original) {
    originals.put(replacement, original);
    return replacement;
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
