package dev.orderly.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Where and how log lines are written: plain text (default) or JSON lines, one event per line on
 * standard error. Every line about a release names it as {@code release=namespace/name}, taken from
 * the MDC that JOSDK and the Helm pool fill.
 */
public final class LogOutput {
  /** The line formats {@code --log-format} accepts. */
  public enum Format {
    text,
    json
  }

  // Logging is process-wide by nature; this is the single switch the command line sets.
  private static volatile Format format = Format.text;
  private static volatile Level threshold = Level.INFO;
  private static volatile PrintStream stream = System.err;

  private LogOutput() {}

  /** Selects the line format for every logger. */
  public static void setFormat(Format newFormat) {
    format = newFormat;
  }

  /** Sets the lowest level written (from {@code ORDERLY_LOG_LEVEL} or {@code --log-level}). */
  public static void setThreshold(Level level) {
    threshold = level;
  }

  static boolean enabled(Level level) {
    return level.toInt() >= threshold.toInt();
  }

  static void write(
      Level level, String logger, String message, Throwable error, Map<String, String> mdc) {
    String release = release(mdc);
    String line =
        format == Format.json
            ? json(level, logger, message, error, release)
            : text(level, logger, message, error, release);
    stream.println(line);
  }

  private static String release(Map<String, String> mdc) {
    if (mdc == null) {
      return null;
    }
    String name = mdc.get("resource.name");
    String namespace = mdc.get("resource.namespace");
    return name == null ? null : (namespace == null ? name : namespace + "/" + name);
  }

  private static String text(
      Level level, String logger, String message, Throwable error, String release) {
    StringBuilder line =
        new StringBuilder()
            .append(Instant.now())
            .append(' ')
            .append(String.format("%-5s", level))
            .append(' ')
            .append(shortName(logger))
            .append(" - ");
    if (release != null) {
      line.append('[').append(release).append("] ");
    }
    line.append(message);
    if (error != null) {
      line.append('\n').append(stackTrace(error));
    }
    return line.toString();
  }

  private static String json(
      Level level, String logger, String message, Throwable error, String release) {
    StringBuilder line = new StringBuilder("{");
    field(line, "time", Instant.now().toString()).append(',');
    field(line, "level", level.toString()).append(',');
    field(line, "logger", logger).append(',');
    field(line, "thread", Thread.currentThread().getName()).append(',');
    if (release != null) {
      field(line, "release", release).append(',');
    }
    field(line, "message", message);
    if (error != null) {
      field(line.append(','), "error", stackTrace(error));
    }
    return line.append('}').toString();
  }

  private static StringBuilder field(StringBuilder line, String name, String value) {
    return line.append('"').append(name).append("\":\"").append(escape(value)).append('"');
  }

  static String escape(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : String.valueOf(value).toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  private static String stackTrace(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing();
  }
}
