package dev.orderly.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parsed command-line options: {@code --name value} pairs (repeatable) and positional words. */
public record Arguments(Map<String, List<String>> options, List<String> positional) {
  /** Parses {@code args}; {@code --name=value} and {@code --name value} are both accepted. */
  public static Arguments parse(String[] args) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--") || (arg.startsWith("-") && arg.length() == 2)) {
        String name = arg.replaceFirst("^--?", "");
        String value;
        int equals = name.indexOf('=');
        if (equals >= 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
          value = args[++i];
        } else {
          value = "true";
        }
        options.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
      } else {
        positional.add(arg);
      }
    }
    return new Arguments(options, positional);
  }

  /**
   * Refuses any option {@code command} does not know, so a typo never runs with defaults in its
   * place (for {@code run}: against whatever cluster the kubeconfig points at).
   *
   * @throws IllegalArgumentException naming the first unknown option
   */
  public Arguments requireKnown(String command, Set<String> known) {
    for (String name : options.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option " + spelled(name) + " (see orderly " + command + " --help)");
      }
    }
    return this;
  }

  /** The option as the user typed it: {@code -o}, {@code --namespace}. */
  public static String spelled(String name) {
    return (name.length() == 1 ? "-" : "--") + name;
  }

  /**
   * The value of {@code name} as {@code true} or {@code false} (a bare flag is true), or {@code
   * fallback} when not given.
   */
  public boolean bool(String name, boolean fallback) {
    Optional<String> text = value(name);
    if (text.isEmpty()) {
      return fallback;
    }
    return switch (text.get()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              spelled(name) + " takes true or false, not '" + text.get() + "'");
    };
  }

  /** The last value given for {@code name}. */
  public Optional<String> value(String name) {
    List<String> values = options.get(name);
    return values == null || values.isEmpty()
        ? Optional.empty()
        : Optional.of(values.get(values.size() - 1));
  }

  /** Every value given for {@code name}, in order. */
  public List<String> values(String name) {
    return options.getOrDefault(name, List.of());
  }

  /** Whether {@code name} was given at all. */
  public boolean flag(String name) {
    return options.containsKey(name);
  }

  /** The value of {@code name} as a whole number of 0 or more, or {@code fallback}. */
  public int nonNegativeInt(String name, int fallback) {
    Optional<String> text = value(name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--" + name + " needs a whole number of 0 or more, not " + text.get());
  }

  /** The value of {@code name} as a positive integer, or {@code fallback}. */
  public int positiveInt(String name, int fallback) {
    Optional<String> text = value(name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.get());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "--" + name + " needs a positive whole number, not " + text.get());
  }
}
