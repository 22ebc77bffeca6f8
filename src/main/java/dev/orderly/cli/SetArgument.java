package dev.orderly.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code --set} argument read as Helm's strvals reads it: {@code key=value} assignments
 * separated by commas, {@code key={a,b}} for a list, and a backslash taking the next character
 * literally ({@code \,} a comma, {@code \\} a backslash). Keys keep their escapes ({@code
 * helm\.sh/hook}), because Helm parses them again; values come out literal, because helm-java
 * escapes them before Helm sees them. A list is passed as {@code key[0]}, {@code key[1]}, ...; the
 * values' types are Helm's to infer ({@code 1} a number, {@code true} a boolean), as with {@code
 * --set}.
 */
final class SetArgument {

  /**
   * One {@code key=value}, or {@code key={items}} when {@code list}; {@code values} holds the one
   * value or the items.
   */
  record Assignment(String key, List<String> values, boolean list) {
    Assignment {
      values = List.copyOf(values);
    }

    static Assignment scalar(String key, String value) {
      return new Assignment(key, List.of(value), false);
    }
  }

  private final String text;
  private int position;

  private SetArgument(String text) {
    this.text = text;
  }

  /**
   * The assignments of {@code argument}, in order.
   *
   * @throws IllegalArgumentException naming the argument and what is wrong with it
   */
  static List<Assignment> parse(String argument) {
    return new SetArgument(argument).assignments();
  }

  /**
   * Adds {@code assignments} to {@code values} as helm-java's {@code key=value} pairs, the later
   * winning as in Helm: an assignment replaces what an earlier one set at, under or above its key
   * ({@code a=1} after {@code a.b=2}, {@code a={x}} after {@code a={x,y}}) instead of merging with
   * it. (helm-java hands Helm its pairs in no particular order, so they must not overlap.)
   */
  static void apply(List<Assignment> assignments, Map<String, String> values) {
    for (Assignment assignment : assignments) {
      String key = assignment.key();
      values.keySet().removeIf(existing -> overlaps(existing, key));
      if (assignment.list()) {
        for (int i = 0; i < assignment.values().size(); i++) {
          values.put(key + "[" + i + "]", assignment.values().get(i));
        }
      } else {
        values.put(key, assignment.values().get(0));
      }
    }
  }

  private List<Assignment> assignments() {
    List<Assignment> assignments = new ArrayList<>();
    while (position < text.length()) {
      String key = key();
      assignments.add(peek() == '{' ? list(key) : Assignment.scalar(key, value(false)));
      if (position < text.length()) {
        position++; // the comma that ended the value or followed the list
      }
    }
    if (assignments.isEmpty()) {
      throw mistake("needs key=value");
    }
    return assignments;
  }

  /** The key up to the unescaped '=', escapes kept; consumes the '='. */
  private String key() {
    int start = position;
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == '\\') {
        position += 2;
      } else if (c == '=') {
        String key = text.substring(start, position++);
        if (key.isEmpty()) {
          throw mistake("has a value without a key");
        }
        return key;
      } else if (c == ',') {
        throw mistake("key " + text.substring(start, position) + " has no value");
      } else {
        position++;
      }
    }
    throw mistake("key " + text.substring(start) + " has no value");
  }

  private Assignment list(String key) {
    position++; // {
    List<String> items = new ArrayList<>();
    while (true) {
      if (peek() == '}' && items.isEmpty()) {
        throw mistake(key + "={} is an empty list, which helm-java cannot pass; use a values file");
      }
      items.add(value(true));
      if (position >= text.length()) {
        throw mistake("list " + key + " has no closing }");
      }
      if (text.charAt(position++) == '}') {
        if (position < text.length() && text.charAt(position) != ',') {
          throw mistake("list " + key + " must end with } followed by , or nothing");
        }
        return new Assignment(key, items, true);
      }
    }
  }

  /** A value up to the unescaped ',' (or '}' in a list), unescaped. */
  private String value(boolean inList) {
    StringBuilder value = new StringBuilder();
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == '\\' && position + 1 < text.length()) {
        value.append(text.charAt(position + 1));
        position += 2;
      } else if (c == ',' || (inList && c == '}')) {
        break;
      } else {
        value.append(c);
        position++;
      }
    }
    return value.toString();
  }

  private char peek() {
    return position < text.length() ? text.charAt(position) : '\0';
  }

  private IllegalArgumentException mistake(String what) {
    return new IllegalArgumentException("--set " + text + ": " + what);
  }

  private static boolean overlaps(String a, String b) {
    return a.equals(b) || isUnder(a, b) || isUnder(b, a);
  }

  private static boolean isUnder(String key, String parent) {
    return key.startsWith(parent + ".") || key.startsWith(parent + "[");
  }
}
