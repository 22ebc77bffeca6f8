package dev.orderly.cli;

import dev.orderly.helm.HelmJavaClient;
import dev.orderly.logging.LogOutput;
import dev.orderly.metrics.OperatorEndpoints;
import dev.orderly.reconciler.OrderlyOperator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code orderly run}: starts the operator and keeps it running until the process is stopped. */
final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  private RunCommand() {}

  static int run(Arguments args, PrintStream out) {
    LogOutput.setFormat(logFormat(args));
    Set<String> namespaces =
        args.value("namespaces").stream()
            .flatMap(list -> Arrays.stream(list.split(",")))
            .map(String::trim)
            .filter(ns -> !ns.isEmpty())
            .collect(Collectors.toSet());
    String kubeconfig = args.value("kubeconfig").map(RunCommand::read).orElse(null);
    Path workDir =
        Path.of(args.value("work-dir").orElse(System.getProperty("java.io.tmpdir") + "/orderly"));
    KubernetesClient client =
        kubeconfig == null
            ? new KubernetesClientBuilder().build()
            : new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    boolean leaderElection = args.value("leader-election").map(Boolean::parseBoolean).orElse(true);
    String leaseNamespace = leaderElection ? leaseNamespace(client) : null;
    int metricsPort = args.nonNegativeInt("metrics-port", 8080);
    OrderlyOperator.Settings settings =
        new OrderlyOperator.Settings(
            namespaces,
            args.positiveInt("helm-threads", 4),
            args.positiveInt("reconcile-threads", 10),
            workDir,
            hostname(),
            Clock.systemUTC(),
            leaseNamespace,
            true);
    OrderlyOperator operator =
        OrderlyOperator.start(client, new HelmJavaClient(kubeconfig), settings);
    OperatorEndpoints endpoints;
    try {
      endpoints =
          OperatorEndpoints.start(
              metricsPort, operator.metrics().registry(), operator::live, operator::ready);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + metricsPort, e);
    }
    LOG.info(
        "Orderly is running, watching {}; metrics and probes on port {}; leader election {}",
        namespaces.isEmpty() ? "all namespaces" : String.join(",", namespaces),
        endpoints.port(),
        leaseNamespace == null ? "off" : "in namespace " + leaseNamespace);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    endpoints.close();
                    operator.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  client.close();
                  stopped.countDown();
                }));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static LogOutput.Format logFormat(Arguments args) {
    String format = args.value("log-format").orElse("text");
    try {
      return LogOutput.Format.valueOf(format);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--log-format must be text or json, not " + format);
    }
  }

  /** The pod's namespace (downward API), else the kubeconfig's, for the leader-election Lease. */
  private static String leaseNamespace(KubernetesClient client) {
    String fromPod = System.getenv("POD_NAMESPACE");
    if (fromPod != null && !fromPod.isBlank()) {
      return fromPod;
    }
    String fromConfig = client.getNamespace();
    return fromConfig == null ? "default" : fromConfig;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + file, e);
    }
  }

  private static String hostname() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "orderly";
    }
  }
}
