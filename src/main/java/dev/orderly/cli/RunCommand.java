package dev.orderly.cli;

import dev.orderly.helm.HelmJavaClient;
import dev.orderly.logging.LogOutput;
import dev.orderly.metrics.MetricsRegistry;
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
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orderly run}: starts the operator and keeps it running until SIGTERM (or SIGINT), or until
 * it loses the Lease.
 */
final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /** The exit status after the Lease was lost: the pod restarts and competes again. */
  static final int LOST_LEASE = 1;

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
    boolean leaderElection = args.value("leader-election").map(Boolean::parseBoolean).orElse(true);
    int metricsPort = args.nonNegativeInt("metrics-port", 8080);
    MetricsRegistry registry = new MetricsRegistry();
    AtomicReference<OrderlyOperator> running = new AtomicReference<>();
    OperatorEndpoints endpoints;
    try {
      endpoints =
          OperatorEndpoints.start(
              metricsPort,
              registry,
              () -> running.get() == null || running.get().live(),
              () -> running.get() != null && running.get().ready());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + metricsPort, e);
    }
    String identity =
        LeaderIdentity.of(
            System.getenv(),
            RunCommand::hostname,
            ProcessHandle.current().pid(),
            HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
    KubernetesClient client =
        kubeconfig == null
            ? new KubernetesClientBuilder().build()
            : new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    String leaseNamespace = leaderElection ? leaseNamespace(client) : null;
    OrderlyOperator.Settings settings =
        new OrderlyOperator.Settings(
            namespaces,
            args.positiveInt("helm-threads", 4),
            args.positiveInt("reconcile-threads", 10),
            workDir,
            identity,
            Clock.systemUTC(),
            leaseNamespace);
    OrderlyOperator operator;
    try {
      operator = OrderlyOperator.start(client, new HelmJavaClient(kubeconfig), settings, registry);
    } catch (RuntimeException e) {
      endpoints.close();
      client.close();
      throw e;
    }
    running.set(operator);
    LOG.info(
        "Orderly is running as {} (pid {}), watching {}; metrics and probes on port {};"
            + " leader election {}",
        identity,
        ProcessHandle.current().pid(),
        namespaces.isEmpty() ? "all namespaces" : String.join(",", namespaces),
        endpoints.port(),
        leaseNamespace == null ? "off" : "in namespace " + leaseNamespace);
    Shutdown shutdown = new Shutdown(endpoints, operator, client);
    Thread hook = new Thread(shutdown::run, "orderly-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // SIGTERM ends the JVM while this thread waits: the hook stops everything, then it halts.
    operator.lostLease().join();
    LOG.error("Exiting with status {}: the Lease was lost", LOST_LEASE);
    shutdown.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // A SIGTERM came at the same time; the hook finds everything stopped.
    }
    return LOST_LEASE;
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

  /** Stops the port, the operator and the client once, whoever asks first. */
  private static final class Shutdown {
    private final OperatorEndpoints endpoints;
    private final OrderlyOperator operator;
    private final KubernetesClient client;
    private boolean done;

    Shutdown(OperatorEndpoints endpoints, OrderlyOperator operator, KubernetesClient client) {
      this.endpoints = endpoints;
      this.operator = operator;
      this.client = client;
    }

    synchronized void run() {
      if (done) {
        return;
      }
      done = true;
      LOG.info("Orderly is stopping");
      endpoints.close();
      try {
        operator.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        client.close();
      }
      LOG.info("Orderly stopped");
    }
  }
}
