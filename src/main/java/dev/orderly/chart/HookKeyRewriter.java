package dev.orderly.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renames {@code helm.sh/hook*} to a neutral prefix in chart files and back in rendered output.
 *
 * <p>The rename is applied to every text file of the chart copy (templates, helpers, values,
 * schema, subcharts) and to the caller's values, so the chart stays self-consistent: a template
 * that looks a key up in {@code .Values} or compares against it still finds it. Only Helm's own
 * constant no longer matches, which is the point. Both prefixes are plain ASCII, so replacing them
 * byte-wise cannot break a multi-byte UTF-8 sequence.
 */
final class HookKeyRewriter {

  static final String HELM_PREFIX = "helm.sh/hook";
  static final String NEUTRAL_PREFIX = "orderly.dev/rendered-hook";

  // In --set keys a literal dot is escaped, e.g. annotations.helm\.sh/hook=pre-delete.
  private static final String HELM_PREFIX_ESCAPED = "helm\\.sh/hook";
  private static final String NEUTRAL_PREFIX_ESCAPED = "orderly\\.dev/rendered-hook";

  private HookKeyRewriter() {}

  /**
   * Rewrites one file in place if it is text; binary files (containing NUL) are left alone.
   *
   * @return whether the file changed
   * @throws ChartRenderException if the file already uses the neutral prefix, which would make the
   *     way back ambiguous
   */
  static boolean neutralizeFile(Path file, String displayPath) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (isBinary(bytes)) {
        return false;
      }
      // ISO-8859-1 maps every byte to one char and back, so non-ASCII content survives untouched.
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      if (text.contains(NEUTRAL_PREFIX)) {
        throw new ChartRenderException(
            displayPath + " uses the key prefix " + NEUTRAL_PREFIX + ", which Orderly reserves");
      }
      if (!text.contains(HELM_PREFIX)) {
        return false;
      }
      Files.write(file, neutralize(text).getBytes(StandardCharsets.ISO_8859_1));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + displayPath, e);
    }
  }

  static String neutralize(String text) {
    return text.replace(HELM_PREFIX, NEUTRAL_PREFIX);
  }

  /** Rewrites a {@code --set} key, where Helm's strvals syntax escapes the dot. */
  static String neutralizeSetKey(String key) {
    return neutralize(key.replace(HELM_PREFIX_ESCAPED, NEUTRAL_PREFIX_ESCAPED));
  }

  /** Maps the neutral prefix back so callers see exactly what the chart declared. */
  static String restore(String rendered) {
    return rendered.replace(NEUTRAL_PREFIX, HELM_PREFIX);
  }

  private static boolean isBinary(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }
}
