package dev.orderly.cli;

import dev.orderly.helm.ChartSourcePolicy;
import dev.orderly.logging.LogOutput;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
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
 * @param defaultServiceAccount what a release naming no ServiceAccount acts as; null: the operator
 * @param noCrossNamespaceRefs refuse specs naming another namespace than their own
 */
record RunOptions(
    Set<String> namespaces,
    Path kubeconfig,
    int helmThreads,
    int reconcileThreads,
    Path workDir,
    boolean leaderElection,
    int metricsPort,
    LogOutput.Format logFormat,
    ChartSourcePolicy chartSources,
    String defaultServiceAccount,
    boolean noCrossNamespaceRefs) {

  // A ServiceAccount's name: a DNS-1123 subdomain.
  private static final Pattern ACCOUNT =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  private static final Set<String> KNOWN =
      Set.of(
          "namespaces",
          "kubeconfig",
          "helm-threads",
          "reconcile-threads",
          "work-dir",
          "leader-election",
          "metrics-port",
          "log-format",
          "allowed-chart-paths",
          "allowed-repositories",
          "max-chart-archive-mib",
          "default-service-account",
          "no-cross-namespace-refs");

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
    Path workDir =
        Path.of(value(args, "work-dir").orElse(System.getProperty("java.io.tmpdir") + "/orderly"));
    return new RunOptions(
        namespaces,
        value(args, "kubeconfig").map(Path::of).orElse(null),
        args.positiveInt("helm-threads", 4),
        args.positiveInt("reconcile-threads", 10),
        workDir,
        args.bool("leader-election", true),
        metricsPort,
        logFormat(args),
        chartSources(args, workDir),
        defaultServiceAccount(args),
        args.bool("no-cross-namespace-refs", false));
  }

  private static ChartSourcePolicy chartSources(Arguments args, Path workDir) {
    List<Path> paths =
        list(args, "allowed-chart-paths")
            .map(l -> l.stream().map(Path::of).toList())
            .orElse(List.of(ChartSourcePolicy.IMAGE_CHARTS));
    Path work = workDir.toAbsolutePath().normalize();
    for (Path path : paths) {
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException(
            "--allowed-chart-paths takes absolute directories, not '" + path + "'");
      }
      // The work dir caches every release's downloaded charts, private ones included.
      Path allowed = path.normalize();
      if (work.startsWith(allowed) || allowed.startsWith(work)) {
        throw new IllegalArgumentException(
            "--allowed-chart-paths "
                + path
                + " overlaps the work dir "
                + work
                + ", where the charts of every release are cached; allow only directories of"
                + " charts");
      }
    }
    List<String> prefixes =
        list(args, "allowed-repositories").orElse(ChartSourcePolicy.DEFAULT_REPOSITORIES);
    long archiveBytes =
        args.positiveInt(
                "max-chart-archive-mib",
                (int) (ChartSourcePolicy.DEFAULT_MAX_ARCHIVE_BYTES / (1024 * 1024)))
            * 1024L
            * 1024L;
    try {
      return new ChartSourcePolicy(
          paths, prefixes, ChartSourcePolicy.DEFAULT_MAX_INDEX_BYTES, archiveBytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--allowed-repositories: " + e.getMessage(), e);
    }
  }

  private static Optional<List<String>> list(Arguments args, String name) {
    return value(args, name)
        .map(
            text ->
                Arrays.stream(text.split(","))
                    .map(String::trim)
                    .filter(item -> !item.isEmpty())
                    .toList());
  }

  private static String defaultServiceAccount(Arguments args) {
    String name = value(args, "default-service-account").orElse(null);
    if (name != null && (name.length() > 253 || !ACCOUNT.matcher(name).matches())) {
      throw new IllegalArgumentException(
          "--default-service-account takes a ServiceAccount name (lowercase letters, digits, '-'"
              + " and '.'), not '"
              + name
              + "'");
    }
    return name;
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
