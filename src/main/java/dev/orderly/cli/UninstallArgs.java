package dev.orderly.cli;

import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.Durations;
import dev.orderly.api.UninstallOptions;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code orderly uninstall RELEASE}, checked before any cluster is contacted. The
 * teardown options map onto {@link UninstallOptions}, as an OrderedRelease's spec.uninstall.
 *
 * @param cascade the propagationPolicy of every delete (Foreground unless {@code --cascade
 *     background})
 * @param command the command line as given, to print the command that resumes an interrupted run
 */
record UninstallArgs(
    String release,
    String namespace,
    Path kubeconfig,
    String context,
    boolean dryRun,
    boolean json,
    UninstallOptions uninstall,
    UninstallOptions.Propagation cascade,
    String command) {

  private static final Set<String> KNOWN =
      Set.of(
          "namespace",
          "n",
          "kubeconfig",
          "context",
          "timeout",
          "hook-timeout",
          "no-hooks",
          "keep-history",
          "cascade",
          "on-timeout",
          "daemonsets-selector",
          "crds",
          "dry-run",
          "output",
          "o");

  // Options without a value: the parser may have given them the release as theirs.
  private static final List<String> SWITCHES = List.of("no-hooks", "keep-history", "dry-run");

  /**
   * Parses and checks the command line.
   *
   * @throws IllegalArgumentException naming what is wrong, for exit status 2
   */
  static UninstallArgs parse(Arguments args) {
    args.requireKnown("uninstall", KNOWN);
    List<String> words = new ArrayList<>();
    Map<String, Boolean> switches = new LinkedHashMap<>();
    for (String flag : SWITCHES) {
      boolean on = false;
      for (String value : args.values(flag)) {
        if (value.equals("false")) {
          on = false;
        } else {
          on = true;
          if (!value.equals("true")) {
            words.add(value);
          }
        }
      }
      switches.put(flag, on);
    }
    words.addAll(args.positional());
    if (words.size() != 1) {
      throw new IllegalArgumentException(
          words.isEmpty()
              ? "which release? usage: orderly uninstall RELEASE [-n NAMESPACE] [options]"
              : "one release at a time, got " + String.join(" ", words));
    }
    String release = words.get(0);
    UninstallOptions options = new UninstallOptions();
    value(args, "timeout").ifPresent(t -> options.setTimeout(duration("timeout", t)));
    value(args, "hook-timeout").ifPresent(t -> options.setHookTimeout(duration("hook-timeout", t)));
    options.setDisableHooks(switches.get("no-hooks"));
    options.setKeepHistory(switches.get("keep-history"));
    value(args, "on-timeout").ifPresent(o -> options.setOnTimeout(onTimeout(o)));
    value(args, "crds").ifPresent(c -> options.setCrds(crds(c)));
    List<DaemonSetSelector> selectors = new ArrayList<>();
    for (String selector : args.values("daemonsets-selector")) {
      selectors.add(selector(selector));
    }
    options.setDaemonSets(selectors);
    UninstallOptions.Propagation cascade =
        value(args, "cascade")
            .map(UninstallArgs::cascade)
            .orElse(UninstallOptions.Propagation.Foreground);
    options.setDeletionPropagation(cascade);
    String namespace =
        value(args, "namespace").or(() -> value(args, "n")).orElse(PlanOptions.DEFAULT_NAMESPACE);
    String output = args.value("output").or(() -> args.value("o")).orElse("text");
    boolean json =
        switch (output) {
          case "text" -> false;
          case "json" -> true;
          default ->
              throw new IllegalArgumentException("-o takes text or json, not '" + output + "'");
        };
    return new UninstallArgs(
        release,
        namespace,
        value(args, "kubeconfig").map(Path::of).orElse(null),
        value(args, "context").orElse(null),
        switches.get("dry-run"),
        json,
        options,
        cascade,
        commandLine(release, args));
  }

  /**
   * {@code [NAMESPACE/]key=value[,key=value...]}: DaemonSets outside the chart to delete in the
   * DaemonSets phase, as spec.uninstall.daemonSets.
   */
  static DaemonSetSelector selector(String text) {
    String namespace = null;
    String labels = text;
    int slash = text.indexOf('/');
    int equals = text.indexOf('=');
    if (slash >= 0 && (equals < 0 || slash < equals)) {
      namespace = text.substring(0, slash);
      labels = text.substring(slash + 1);
    }
    Map<String, String> match = new LinkedHashMap<>();
    for (String pair : labels.split(",")) {
      String[] parts = pair.split("==?", 2);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "--daemonsets-selector takes [NAMESPACE/]key=value[,key=value], not '" + text + "'");
      }
      match.put(parts[0].trim(), parts[1].trim());
    }
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(match);
    return new DaemonSetSelector(
        namespace == null || namespace.isBlank() ? null : namespace, selector);
  }

  private static UninstallOptions.Propagation cascade(String text) {
    return switch (text) {
      case "foreground" -> UninstallOptions.Propagation.Foreground;
      case "background" -> UninstallOptions.Propagation.Background;
      default ->
          throw new IllegalArgumentException(
              "--cascade takes foreground or background, not '"
                  + text
                  + "' (orphan would leave the pods running with their RBAC deleted)");
    };
  }

  private static UninstallOptions.OnTimeout onTimeout(String text) {
    return switch (text) {
      case "fail" -> UninstallOptions.OnTimeout.Fail;
      case "continue" -> UninstallOptions.OnTimeout.Continue;
      default ->
          throw new IllegalArgumentException(
              "--on-timeout takes fail or continue, not '" + text + "'");
    };
  }

  private static UninstallOptions.CrdPolicy crds(String text) {
    for (UninstallOptions.CrdPolicy policy : UninstallOptions.CrdPolicy.values()) {
      if (policy.name().equalsIgnoreCase(text)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("--crds takes Keep or Delete, not '" + text + "'");
  }

  private static String duration(String option, String text) {
    try {
      Duration parsed = Durations.parse(text, Duration.ZERO);
      if (parsed.isZero() || parsed.isNegative()) {
        throw new IllegalArgumentException("must be more than 0, not " + text);
      }
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> value(Arguments args, String option) {
    Optional<String> value = args.value(option);
    if (value.isPresent() && (value.get().isBlank() || value.get().equals("true"))) {
      throw new IllegalArgumentException(Arguments.spelled(option) + " needs a value");
    }
    return value;
  }

  /** The command line that runs this uninstall again, the same options in the same order. */
  private static String commandLine(String release, Arguments args) {
    StringBuilder line = new StringBuilder("orderly uninstall ").append(quoted(release));
    args.options()
        .forEach(
            (name, values) -> {
              for (String value : values) {
                if (SWITCHES.contains(name)) {
                  if (!value.equals("false")) {
                    line.append(' ').append(Arguments.spelled(name));
                  }
                } else {
                  line.append(' ')
                      .append(Arguments.spelled(name))
                      .append(' ')
                      .append(quoted(value));
                }
              }
            });
    return line.toString();
  }

  private static String quoted(String word) {
    return word.matches("[A-Za-z0-9_./:=,@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
