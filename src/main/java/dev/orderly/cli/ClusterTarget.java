package dev.orderly.cli;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The cluster a command talks to and where that came from: the kubeconfig (or the pod's service
 * account), its context and the API server's URL, so that every error names all three. Loading
 * checks the kubeconfig and opens no connection.
 *
 * @param kubeconfigContents the file given with {@code --kubeconfig}, for Helm; null when Helm
 *     finds the same configuration by its own rules (KUBECONFIG, ~/.kube/config, in-cluster)
 * @param source where the configuration came from, e.g. {@code kubeconfig /home/me/.kube/config}
 */
record ClusterTarget(Config config, String kubeconfigContents, String source) {

  /** How long a quick client waits for a TCP connection to the API server. */
  static final int CONNECT_TIMEOUT_MILLIS = 3_000;

  /** How long a quick client waits for an answer once connected. */
  static final int REQUEST_TIMEOUT_MILLIS = 10_000;

  private static final String WHAT_TO_DO = "pass --kubeconfig FILE or set KUBECONFIG";

  /**
   * The configuration from {@code kubeconfig}, or when it is null from the usual places, in
   * kubectl's order: {@code $KUBECONFIG}, {@code ~/.kube/config}, the pod's service account.
   *
   * @param env the process environment, where KUBECONFIG, HOME and KUBERNETES_SERVICE_HOST are read
   * @throws CommandFailure when there is no usable configuration, saying why and what to do
   */
  static ClusterTarget load(Path kubeconfig, Map<String, String> env) {
    return load(kubeconfig, null, env);
  }

  /**
   * As {@link #load(Path, Map)}, with context {@code context} of the kubeconfig rather than its
   * current context, when not null.
   *
   * @throws CommandFailure also when the kubeconfig has no such context
   */
  static ClusterTarget load(Path kubeconfig, String context, Map<String, String> env) {
    ClusterTarget target = load(kubeconfig, env, context);
    if (context != null && !context.equals(target.context())) {
      throw new CommandFailure(
          target.source + ": no context " + context + "; kubectl config get-contexts lists them");
    }
    return target;
  }

  private static ClusterTarget load(Path kubeconfig, Map<String, String> env, String context) {
    if (kubeconfig != null) {
      return fromFile(kubeconfig, "kubeconfig " + kubeconfig, true, context);
    }
    String fromEnv = env.get("KUBECONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) {
      boolean any =
          Arrays.stream(fromEnv.split(File.pathSeparator))
              .filter(name -> !name.isBlank())
              .anyMatch(name -> Files.isRegularFile(Path.of(name)));
      if (!any) {
        throw new CommandFailure(
            "kubeconfig "
                + fromEnv
                + " (from KUBECONFIG): no such file; "
                + "pass --kubeconfig FILE or set KUBECONFIG to an existing file");
      }
      return checked(
          Config.autoConfigure(context), null, "kubeconfig " + fromEnv + " (KUBECONFIG)");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path inHome = Path.of(home, ".kube", "config");
    if (Files.exists(inHome)) {
      return fromFile(inHome, "kubeconfig " + inHome, false, context);
    }
    if (env.get("KUBERNETES_SERVICE_HOST") != null) {
      return new ClusterTarget(Config.autoConfigure(null), null, "the pod's service account");
    }
    throw new CommandFailure(
        "no kubeconfig: KUBECONFIG is not set, "
            + inHome
            + " does not exist and this is not a pod; "
            + WHAT_TO_DO);
  }

  private static ClusterTarget fromFile(Path file, String source, boolean forHelm, String context) {
    if (!Files.exists(file)) {
      throw new CommandFailure(source + ": no such file; " + WHAT_TO_DO);
    }
    if (!Files.isRegularFile(file)) {
      throw new CommandFailure(source + ": not a file; " + WHAT_TO_DO);
    }
    String contents;
    try {
      contents = Files.readString(file);
    } catch (IOException e) {
      throw new CommandFailure(
          source + ": cannot read it (" + CommandFailure.rootCause(e) + "); " + WHAT_TO_DO, e);
    }
    if (contents.isBlank()) {
      throw new CommandFailure(source + ": the file is empty; " + WHAT_TO_DO);
    }
    Config config;
    try {
      config = Config.fromKubeconfig(context, file.toFile());
    } catch (RuntimeException e) {
      throw new CommandFailure(
          source
              + ": not a valid kubeconfig ("
              + CommandFailure.rootCause(e)
              + "); fix it, or "
              + WHAT_TO_DO,
          e);
    }
    return checked(config, forHelm ? contents : null, source);
  }

  private static ClusterTarget checked(Config config, String contents, String source) {
    if (config.getCurrentContext() == null) {
      throw new CommandFailure(
          source
              + ": no current context; choose one with kubectl config use-context NAME, or "
              + WHAT_TO_DO);
    }
    return new ClusterTarget(config, contents, source);
  }

  /** The current context's name, or a dash when the service account is used. */
  String context() {
    NamedContext context = config.getCurrentContext();
    return context == null ? "-" : context.getName();
  }

  /** The API server's URL. */
  String server() {
    String url = config.getMasterUrl();
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Where the command looked: {@code kubeconfig FILE, context NAME, server URL}. */
  String describe() {
    return source + ", context " + context() + ", server " + server();
  }

  /** A client for the long run: the configuration's own timeouts and retries. */
  KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(clientConfig()).build();
  }

  Config clientConfig() {
    return overPlainHttp(config);
  }

  /**
   * A client that gives up fast: a short connect timeout and no retries, for a command a user waits
   * on and for the check before the operator starts.
   */
  KubernetesClient quickClient() {
    return new KubernetesClientBuilder().withConfig(quickConfig()).build();
  }

  Config quickConfig() {
    return new ConfigBuilder(overPlainHttp(config))
        .withConnectionTimeout(CONNECT_TIMEOUT_MILLIS)
        .withRequestTimeout(REQUEST_TIMEOUT_MILLIS)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  // A plain-http server (kubectl proxy, a local test server) is spoken to in HTTP/1.1. Over TLS the
  // protocol is agreed in the handshake; over plain http the JDK client tries an h2c upgrade, which
  // kube-apiserver never serves there, and which once misread a large reply as a frame.
  private static Config overPlainHttp(Config config) {
    String url = config.getMasterUrl();
    if (url == null || !url.startsWith("http://")) {
      return config;
    }
    return new ConfigBuilder(config).withHttp2Disable(true).build();
  }

  /**
   * Asks the API server for its version, with a {@link #quickClient()}.
   *
   * @throws CommandFailure when it cannot be reached or refuses
   */
  void checkReachable() {
    try (KubernetesClient client = quickClient()) {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw failure("reach the API server", e);
    }
  }

  /** One line for a failed request: what was tried, the cause, the target and what to check. */
  CommandFailure failure(String doing, KubernetesClientException e) {
    if (e.getCode() > 0) {
      String answer =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : CommandFailure.rootCause(e);
      String hint =
          switch (e.getCode()) {
            case 401 -> "; the kubeconfig's credentials were not accepted";
            case 403 -> "; the kubeconfig's user lacks that permission";
            default -> "";
          };
      return new CommandFailure(
          "cannot "
              + doing
              + ": the API server answered "
              + e.getCode()
              + " ("
              + answer.lines().findFirst().orElse("").trim()
              + ") (tried "
              + describe()
              + ")"
              + hint,
          e);
    }
    return new CommandFailure(
        "cannot "
            + doing
            + ": "
            + CommandFailure.rootCause(e)
            + " (tried "
            + describe()
            + "); check that the cluster is up and that this is the kubeconfig and context you"
            + " mean",
        e);
  }
}
