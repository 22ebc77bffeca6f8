package dev.orderly.cli;

import dev.orderly.api.ChartSource;
import dev.orderly.api.Durations;
import dev.orderly.api.UninstallOptions;
import dev.orderly.chart.KubeCapabilities;
import dev.orderly.helm.ChartCoordinates;
import dev.orderly.helm.RegistryCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code orderly plan} was asked for, checked: a usage mistake is an {@link
 * IllegalArgumentException} whose message names it, which {@link Main} turns into exit status 2.
 *
 * @param chart the chart directory or archive; null when planning a live release's record or before
 *     a remote chart is pulled
 * @param remote a chart to pull from an OCI registry first; null for a local chart
 * @param release the release name; empty means the chart's name
 * @param fromCluster whether the cluster may be read: the release record without a chart, the
 *     cluster's version, API versions and scopes with one
 * @param kubeconfig a kubeconfig file for {@code --from-cluster}, not checked yet; null means the
 *     usual places ({@link ClusterTarget#load})
 * @param capabilities what a chart is rendered for without {@code --from-cluster}
 */
record PlanOptions(
    Path chart,
    RemoteChart remote,
    List<Path> valuesFiles,
    Map<String, String> setValues,
    Optional<String> release,
    String namespace,
    Format format,
    boolean fromCluster,
    Path kubeconfig,
    KubeCapabilities capabilities,
    UninstallOptions uninstall) {

  /** How the plan is printed. */
  enum Format {
    TABLE,
    JSON
  }

  static final String DEFAULT_NAMESPACE = "default";

  private static final Set<String> KNOWN =
      Set.of(
          "values",
          "f",
          "set",
          "release",
          "namespace",
          "n",
          "output",
          "o",
          "crds",
          "from-cluster",
          "kubeconfig",
          "hook-timeout",
          "timeout",
          "kube-version",
          "api-versions",
          "a",
          "version",
          "digest",
          "username",
          "password-stdin",
          "registry-config",
          "plain-http");

  // Options without a value: the parser may have given them the chart as theirs.
  private static final List<String> SWITCHES =
      List.of("from-cluster", "password-stdin", "plain-http");

  static PlanOptions parse(Arguments args) {
    return parse(args, System.in);
  }

  /** As {@link #parse(Arguments)}, reading {@code --password-stdin} from {@code stdin}. */
  static PlanOptions parse(Arguments args, InputStream stdin) {
    args.requireKnown("plan", KNOWN);
    boolean fromCluster =
        args.flag("from-cluster") && !args.value("from-cluster").orElse("").equals("false");
    String word = chartWord(args, fromCluster);
    RemoteChart remote =
        word != null && word.startsWith(ChartSource.OCI_SCHEME) ? remote(args, word, stdin) : null;
    if (remote == null) {
      for (String option :
          List.of(
              "version", "digest", "username", "password-stdin", "registry-config", "plain-http")) {
        if (args.flag(option)) {
          throw new IllegalArgumentException(
              "--" + option + " is for a chart from an OCI registry (oci://host/path/chart)");
        }
      }
    }
    Path chart = word == null || remote != null ? null : localChart(word);
    Optional<String> release = nonBlank(args, "release");
    if (fromCluster && chart == null && release.isEmpty()) {
      throw new IllegalArgumentException("--from-cluster without a chart needs --release NAME");
    }
    String namespace =
        nonBlank(args, "namespace").or(() -> nonBlank(args, "n")).orElse(DEFAULT_NAMESPACE);
    return new PlanOptions(
        chart,
        remote,
        valuesFiles(args),
        setValues(args),
        release,
        namespace,
        format(args),
        fromCluster,
        kubeconfig(args, fromCluster),
        capabilities(args, fromCluster),
        uninstall(args));
  }

  private static Path kubeconfig(Arguments args, boolean fromCluster) {
    Optional<String> file = nonBlank(args, "kubeconfig");
    if (file.isPresent() && !fromCluster) {
      throw new IllegalArgumentException(
          "--kubeconfig is only read with --from-cluster; a chart is planned without a cluster");
    }
    return file.map(Path::of).orElse(null);
  }

  /** These options with {@code chart} (a pulled remote chart) as the chart to render. */
  PlanOptions withChart(Path chart) {
    return new PlanOptions(
        chart,
        remote,
        valuesFiles,
        setValues,
        release,
        namespace,
        format,
        fromCluster,
        kubeconfig,
        capabilities,
        uninstall);
  }

  private static RemoteChart remote(Arguments args, String reference, InputStream stdin) {
    String version = nonBlank(args, "version").orElse("*"); // Helm: the highest stable version
    String digest = nonBlank(args, "digest").orElse(null);
    boolean plainHttp = args.flag("plain-http") && !args.values("plain-http").contains("false");
    if (reference.lastIndexOf('/') < ChartSource.OCI_SCHEME.length()) {
      throw new IllegalArgumentException(
          "'" + reference + "' names no chart: use oci://host/path/chart");
    }
    ChartCoordinates.nameProblem(reference.substring(reference.lastIndexOf('/') + 1))
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(
                  problem + ", as the last part of oci://host/path/chart");
            });
    ChartCoordinates.versionProblem(version)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException("--version: " + problem);
            });
    RemoteChart bare = new RemoteChart(reference, version, digest, Optional.empty(), plainHttp);
    Optional<String> username = nonBlank(args, "username");
    boolean passwordStdin = args.flag("password-stdin");
    Optional<String> registryConfig = nonBlank(args, "registry-config");
    if (username.isPresent() != passwordStdin) {
      throw new IllegalArgumentException(
          "--username and --password-stdin go together: the password is read from standard"
              + " input, never from the command line");
    }
    if (username.isPresent() && registryConfig.isPresent()) {
      throw new IllegalArgumentException("use either --username or --registry-config, not both");
    }
    Optional<RegistryCredentials> credentials = Optional.empty();
    if (username.isPresent()) {
      credentials =
          Optional.of(new RegistryCredentials(username.get(), password(stdin), "--username"));
    } else if (registryConfig.isPresent()) {
      Path file = existingFile(registryConfig.get());
      try {
        credentials =
            RegistryCredentials.fromDockerConfig(
                Files.readString(file), bare.host(), "--registry-config " + file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--registry-config " + file + " " + e.getMessage(), e);
      }
    }
    return new RemoteChart(reference, version, digest, credentials, plainHttp);
  }

  private static String password(InputStream stdin) {
    try {
      String text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      String password = text.replaceFirst("\\r?\\n$", "");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("--password-stdin read no password from standard input");
      }
      return password;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the password from standard input", e);
    }
  }

  private static String chartWord(Arguments args, boolean fromCluster) {
    List<String> words = new ArrayList<>();
    // The argument parser gives a flag the next word as its value: that word is the chart.
    for (String flag : SWITCHES) {
      args.values(flag).stream()
          .filter(v -> !v.equals("true") && !v.equals("false"))
          .forEach(words::add);
    }
    words.addAll(args.positional());
    if (fromCluster && words.isEmpty()) {
      return null;
    }
    if (words.size() != 1) {
      throw new IllegalArgumentException(
          words.isEmpty()
              ? "which chart? usage: orderly plan <chart> [options]"
              : "one chart at a time, got " + String.join(" ", words));
    }
    return words.get(0);
  }

  private static Path localChart(String word) {
    Path chart = Path.of(word);
    if (!Files.exists(chart)) {
      throw new IllegalArgumentException("chart not found: " + chart);
    }
    return chart;
  }

  /**
   * The version and API versions to render for: {@code --kube-version} (default {@link
   * KubeCapabilities#DEFAULT_KUBE_VERSION}) and {@code --api-versions}/{@code -a}, repeatable and
   * comma-separated as {@code helm template} takes them. With {@code --from-cluster} the cluster
   * says both, so giving either is a mistake.
   */
  private static KubeCapabilities capabilities(Arguments args, boolean fromCluster) {
    List<String> apiVersions = new ArrayList<>();
    for (String option : List.of("api-versions", "a")) {
      for (String value : args.values(option)) {
        if (value.isBlank() || value.equals("true")) {
          throw new IllegalArgumentException("--api-versions needs a value such as example.com/v1");
        }
        for (String apiVersion : value.split(",")) {
          if (!apiVersion.isBlank()) {
            apiVersions.add(apiVersion.strip());
          }
        }
      }
    }
    Optional<String> kubeVersion = nonBlank(args, "kube-version");
    if (fromCluster && (kubeVersion.isPresent() || !apiVersions.isEmpty())) {
      throw new IllegalArgumentException(
          "--from-cluster takes the Kubernetes and API versions from the cluster:"
              + " remove --kube-version and --api-versions");
    }
    try {
      return KubeCapabilities.offline(
          kubeVersion.orElse(KubeCapabilities.DEFAULT_KUBE_VERSION), apiVersions);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--kube-version: " + e.getMessage(), e);
    }
  }

  private static List<Path> valuesFiles(Arguments args) {
    // Later files win, so order matters; the parsed arguments keep order per option name only.
    if (args.flag("values") && args.flag("f")) {
      throw new IllegalArgumentException("use either --values or -f, not both");
    }
    List<Path> files = new ArrayList<>();
    for (String file : args.flag("f") ? args.values("f") : args.values("values")) {
      files.add(existingFile(file));
    }
    return files;
  }

  /** Every {@code --set}, split as Helm splits it ({@link SetArgument}), later ones winning. */
  private static Map<String, String> setValues(Arguments args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String argument : args.values("set")) {
      if (argument.equals("true")) {
        throw new IllegalArgumentException("--set needs key=value");
      }
      SetArgument.apply(SetArgument.parse(argument), values);
    }
    return values;
  }

  private static Format format(Arguments args) {
    String output = args.value("output").or(() -> args.value("o")).orElse("table");
    return switch (output) {
      case "table" -> Format.TABLE;
      case "json" -> Format.JSON;
      default -> throw new IllegalArgumentException("-o takes table or json, not '" + output + "'");
    };
  }

  private static UninstallOptions uninstall(Arguments args) {
    UninstallOptions options = new UninstallOptions();
    args.value("hook-timeout").ifPresent(t -> options.setHookTimeout(duration("hook-timeout", t)));
    args.value("timeout").ifPresent(t -> options.setTimeout(duration("timeout", t)));
    args.value("crds").ifPresent(c -> options.setCrds(crds(c)));
    return options;
  }

  private static UninstallOptions.CrdPolicy crds(String text) {
    for (UninstallOptions.CrdPolicy policy : UninstallOptions.CrdPolicy.values()) {
      if (policy.name().equals(text)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("--crds takes Keep or Delete, not '" + text + "'");
  }

  private static String duration(String option, String text) {
    try {
      Durations.parse(text, Duration.ZERO);
      return text;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + option + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> nonBlank(Arguments args, String option) {
    Optional<String> value = args.value(option);
    if (value.isPresent() && (value.get().isBlank() || value.get().equals("true"))) {
      throw new IllegalArgumentException("--" + option + " needs a value");
    }
    return value;
  }

  private static Path existingFile(String file) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("file not found: " + file);
    }
    return path;
  }
}
