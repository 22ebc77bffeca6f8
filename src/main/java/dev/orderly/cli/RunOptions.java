package dev.orderly.cli;

import dev.orderly.logging.LogOutput;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code orderly run} was asked for, checked before anything is started or connected: a
 * mistake is an {@link IllegalArgumentException} naming it, which {@link Main} turns into exit
 * status 2.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param kubeconfig the file given with {@code --kubeconfig}, not checked yet; null means the usual
 *     places ({@link ClusterTarget#load})
 * @param metricsPort the port of /metrics, /healthz and /readyz; 0 picks a free one
 */
record RunOptions(
    Set<String> namespaces,
    Path kubeconfig,
    int helmThreads,
    int reconcileThreads,
    Path workDir,
    boolean leaderElection,
    int metricsPort,
    LogOutput.Format logFormat) {

  private static final Set<String> KNOWN =
      Set.of(
          "namespaces",
          "kubeconfig",
          "helm-threads",
          "reconcile-threads",
          "work-dir",
          "leader-election",
          "metrics-port",
          "log-format");

  static RunOptions parse(Arguments args) {
    args.requireKnown("run", KNOWN);
    if (!args.positional().isEmpty()) {
      throw new IllegalArgumentException(
          "run takes options only, not '"
              + args.positional().get(0)
              + "' (see orderly run --help)");
    }
    Set<String> namespaces =
        value(args, "namespaces").stream()
            .flatMap(list -> Arrays.stream(list.split(",")))
            .map(String::trim)
            .filter(ns -> !ns.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    int metricsPort = args.nonNegativeInt("metrics-port", 8080);
    if (metricsPort > 65535) {
      throw new IllegalArgumentException(
          "--metrics-port must be a port number up to 65535, not " + metricsPort);
    }
    return new RunOptions(
        namespaces,
        value(args, "kubeconfig").map(Path::of).orElse(null),
        args.positiveInt("helm-threads", 4),
        args.positiveInt("reconcile-threads", 10),
        Path.of(value(args, "work-dir").orElse(System.getProperty("java.io.tmpdir") + "/orderly")),
        args.bool("leader-election", true),
        metricsPort,
        logFormat(args));
  }

  private static LogOutput.Format logFormat(Arguments args) {
    String format = value(args, "log-format").orElse("text");
    try {
      return LogOutput.Format.valueOf(format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--log-format takes text or json, not '" + format + "'");
    }
  }

  /** The option's value; a bare flag, which the parser records as "true", has none. */
  private static Optional<String> value(Arguments args, String name) {
    Optional<String> value = args.value(name);
    if (value.isPresent() && (value.get().isBlank() || value.get().equals("true"))) {
      throw new IllegalArgumentException("--" + name + " needs a value");
    }
    return value;
  }
}
