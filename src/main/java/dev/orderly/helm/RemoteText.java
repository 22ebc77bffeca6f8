package dev.orderly.helm;

import java.util.regex.Pattern;

/**
 * Text a remote server controls (an error answer, a URL from an index or a Location header, a
 * parser's quote of a document), made fit for a condition or an Event: ANSI escapes and control
 * characters removed, whitespace collapsed, and at most {@link #MAX_CHARS} characters kept.
 */
public final class RemoteText {
  /** The most of a remote text that goes into a message. */
  public static final int MAX_CHARS = 200;

  private static final Pattern ANSI = Pattern.compile("\u001B(\\[[0-?]*[ -/]*[@-~]|[@-_])");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+");

  private RemoteText() {}

  /** A short, printable excerpt of {@code text}; "null" for null. */
  public static String excerpt(String text) {
    if (text == null) {
      return "null";
    }
    String clean = ANSI.matcher(text).replaceAll("");
    clean = CONTROL.matcher(clean).replaceAll(" ").replaceAll(" {2,}", " ").strip();
    if (clean.length() <= MAX_CHARS) {
      return clean;
    }
    return clean.substring(0, MAX_CHARS) + "...";
  }
}
