package dev.orderly.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the actions ({@code {{ ... }}}) of a Go template and splits their code into tokens, so code
 * can be rewritten without touching text, string literals or comments. The lexer follows Go's
 * text/template closely enough for that: an action ends at the first {@code }}} outside a string or
 * comment; an interpreted string or character literal ends at its closing quote or, unclosed, at
 * the end of the line (Go rejects both across lines), a raw string at its closing backquote.
 */
final class TemplateActions {

  /** What a token is. */
  enum Type {
    /** Spaces, tabs and line breaks. */
    SPACE,
    /** A quoted, raw or character literal, quotes included. */
    LITERAL,
    /** A comment, delimiters included. */
    COMMENT,
    OPEN,
    CLOSE,
    PIPE,
    /**
     * Anything else up to the next space, literal, parenthesis or pipe: a function name, a field
     * chain such as {@code $.Capabilities.APIVersions.Has}, a variable, a number, {@code :=}, a
     * trim marker.
     */
    WORD
  }

  /** One token of an action's code; {@code text} is exactly as written. */
  record Token(Type type, String text) {}

  private static final String OPEN_ACTION = "{{";
  private static final String CLOSE_ACTION = "}}";

  private TemplateActions() {}

  /**
   * {@code text} with the code of every action replaced by what {@code rewrite} makes of its
   * tokens. Text outside actions, and an action left open at the end, are copied unchanged.
   */
  static String rewrite(String text, Function<List<Token>, String> rewrite) {
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int open = text.indexOf(OPEN_ACTION);
    while (open >= 0) {
      int codeStart = open + OPEN_ACTION.length();
      List<Token> tokens = new ArrayList<>();
      int close = lex(text, codeStart, tokens);
      if (close < 0) {
        break;
      }
      out.append(text, copied, codeStart).append(rewrite.apply(tokens)).append(CLOSE_ACTION);
      copied = close + CLOSE_ACTION.length();
      open = text.indexOf(OPEN_ACTION, copied);
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** The tokens of one action's code, as {@link #rewrite} passes them (for tests). */
  static List<Token> tokens(String code) {
    List<Token> tokens = new ArrayList<>();
    lex(code + CLOSE_ACTION, 0, tokens);
    return tokens;
  }

  /** The concatenated text of {@code tokens}. */
  static String text(List<Token> tokens) {
    StringBuilder text = new StringBuilder();
    tokens.forEach(token -> text.append(token.text()));
    return text.toString();
  }

  /** Adds the tokens from {@code start} on; returns where {@code }}} closes, or -1 if never. */
  private static int lex(String text, int start, List<Token> tokens) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      int end;
      Type type;
      if (text.startsWith(CLOSE_ACTION, i)) {
        return i;
      } else if (Character.isWhitespace(c)) {
        end = i + 1;
        while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
          end++;
        }
        type = Type.SPACE;
      } else if (c == '"' || c == '\'') {
        end = quotedEnd(text, i, c);
        type = Type.LITERAL;
      } else if (text.startsWith("\\\"", i)) {
        end = yamlEscapedEnd(text, i);
        type = Type.LITERAL;
      } else if (c == '`') {
        int closing = text.indexOf('`', i + 1);
        if (closing < 0) {
          return -1;
        }
        end = closing + 1;
        type = Type.LITERAL;
      } else if (text.startsWith("/*", i)) {
        int closing = text.indexOf("*/", i + 2);
        if (closing < 0) {
          return -1;
        }
        end = closing + 2;
        type = Type.COMMENT;
      } else if (c == '(' || c == ')' || c == '|') {
        end = i + 1;
        type = c == '(' ? Type.OPEN : c == ')' ? Type.CLOSE : Type.PIPE;
      } else {
        end = wordEnd(text, i);
        type = Type.WORD;
      }
      tokens.add(new Token(type, text.substring(i, end)));
      i = end;
    }
    return -1;
  }

  private static int quotedEnd(String text, int start, char quote) {
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) != '\n') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else if (c == '\n') {
        return i;
      } else {
        i++;
      }
    }
    return i;
  }

  /** The end of {@code \"...\"}: after the next escaped quote, or at the end of the line. */
  private static int yamlEscapedEnd(String text, int start) {
    int i = start + 2;
    while (i < text.length() && text.charAt(i) != '\n') {
      if (text.startsWith("\\\"", i)) {
        return i + 2;
      }
      i++;
    }
    return i;
  }

  private static int wordEnd(String text, int start) {
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)
          || "\"'`()|".indexOf(c) >= 0
          || text.startsWith("\\\"", i)
          || text.startsWith(CLOSE_ACTION, i)
          || text.startsWith("/*", i)) {
        return i;
      }
      i++;
    }
    return i;
  }
}
