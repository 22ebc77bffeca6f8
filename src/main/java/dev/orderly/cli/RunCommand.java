package dev.orderly.cli;

import dev.orderly.helm.HelmJavaClient;
import dev.orderly.helm.ImpersonatedKubeconfig;
import dev.orderly.kube.InstalledCrd;
import dev.orderly.logging.LogOutput;
import dev.orderly.metrics.MetricsRegistry;
import dev.orderly.metrics.OperatorEndpoints;
import dev.orderly.reconciler.OrderlyOperator;
import dev.orderly.reconciler.TenancyPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code orderly run}: checks the options, the kubeconfig and the metrics port, checks that the
 * cluster answers, then runs the operator until SIGTERM (or SIGINT) or until it loses the Lease.
 * Nothing reaches the cluster before every local check passed.
 */
final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /** The exit status after the Lease was lost: the pod restarts and competes again. */
  static final int LOST_LEASE = 1;

  private RunCommand() {}

  static int run(RunOptions options) {
    LogOutput.setFormat(options.logFormat());
    ClusterTarget target = ClusterTarget.load(options.kubeconfig(), System.getenv());
    MetricsRegistry registry = new MetricsRegistry();
    AtomicReference<OrderlyOperator> running = new AtomicReference<>();
    OperatorEndpoints endpoints = serve(options.metricsPort(), registry, running);
    String identity =
        LeaderIdentity.of(
            System.getenv(),
            RunCommand::hostname,
            ProcessHandle.current().pid(),
            HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
    KubernetesClient client = null;
    OrderlyOperator operator;
    try {
      target.checkReachable();
      client = target.client();
      checkCrd(client);
      String leaseNamespace = options.leaderElection() ? leaseNamespace(client) : null;
      OrderlyOperator.Settings settings =
          new OrderlyOperator.Settings(
              options.namespaces(),
              options.helmThreads(),
              options.reconcileThreads(),
              options.workDir(),
              identity,
              Clock.systemUTC(),
              leaseNamespace,
              options.chartSources(),
              new TenancyPolicy(options.defaultServiceAccount(), options.noCrossNamespaceRefs()));
      HelmJavaClient helm =
          new HelmJavaClient(target.kubeconfigContents(), () -> impersonationBase(target));
      operator = start(client, helm, settings, registry, target);
    } catch (RuntimeException e) {
      endpoints.close();
      if (client != null) {
        client.close();
      }
      throw e;
    }
    running.set(operator);
    LOG.info(
        "Orderly is running as {} (pid {}) against {}, watching {}; metrics and probes on port {};"
            + " leader election {}",
        identity,
        ProcessHandle.current().pid(),
        target.describe(),
        options.namespaces().isEmpty() ? "all namespaces" : String.join(",", options.namespaces()),
        endpoints.port(),
        options.leaderElection() ? "on" : "off");
    if (options.defaultServiceAccount() != null || options.noCrossNamespaceRefs()) {
      LOG.info(
          "Lockdown: releases naming no ServiceAccount act as {}; cross-namespace references {}",
          options.defaultServiceAccount() == null
              ? "the operator"
              : "ServiceAccount " + options.defaultServiceAccount() + " of their own namespace",
          options.noCrossNamespaceRefs() ? "refused" : "allowed");
    }
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

  /**
   * Binds the metrics and probe port before anything else starts, so a taken port ends the command
   * at once instead of leaving an operator reconciling without probes.
   */
  private static OperatorEndpoints serve(
      int port, MetricsRegistry registry, AtomicReference<OrderlyOperator> running) {
    try {
      return OperatorEndpoints.start(
          port,
          registry,
          () -> running.get() == null || running.get().live(),
          () -> running.get() != null && running.get().ready());
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot serve metrics and probes on port "
              + port
              + ": "
              + CommandFailure.rootCause(e)
              + "; stop what uses it, or pass --metrics-port N (0 picks a free port)",
          e);
    }
  }

  private static OrderlyOperator start(
      KubernetesClient client,
      HelmJavaClient helm,
      OrderlyOperator.Settings settings,
      MetricsRegistry registry,
      ClusterTarget target) {
    try {
      return OrderlyOperator.start(client, helm, settings, registry);
    } catch (RuntimeException e) {
      LOG.debug("The operator did not start", e);
      throw new CommandFailure(
          "the operator did not start: "
              + CommandFailure.rootCause(e)
              + " (tried "
              + target.describe()
              + "); check that the OrderedRelease CRD is installed (crds/) and that the"
              + " kubeconfig's user has the operator's permissions",
          e);
    }
  }

  /**
   * Refuses to start against an OrderedRelease CRD older than this operator: the API server would
   * drop the fields it lacks, spec.serviceAccountName among them, so a release meant to act as its
   * ServiceAccount would act as the operator. A CRD the operator may not read is only warned about.
   */
  private static void checkCrd(KubernetesClient client) {
    InstalledCrd.Verdict verdict = InstalledCrd.check(client);
    if (verdict instanceof InstalledCrd.NotInstalled) {
      throw new CommandFailure(
          "the OrderedRelease CRD "
              + InstalledCrd.NAME
              + " is not installed; install it: "
              + InstalledCrd.applyHint());
    }
    if (verdict instanceof InstalledCrd.Outdated outdated) {
      throw new CommandFailure(
          "the OrderedRelease CRD in the cluster is older than this operator: it lacks "
              + String.join(", ", outdated.missing())
              + ", which the API server would drop from every OrderedRelease (a dropped"
              + " spec.serviceAccountName makes a release act as the operator); upgrade it: "
              + InstalledCrd.applyHint());
    }
    if (verdict instanceof InstalledCrd.Unreadable unreadable) {
      LOG.warn(
          "Cannot read the OrderedRelease CRD to check that it is as new as this operator ({});"
              + " fields it lacks would be dropped by the API server. Grant get on"
              + " customresourcedefinitions, or make sure it is current: {}",
          unreadable.why(),
          InstalledCrd.applyHint());
    }
  }

  /**
   * The kubeconfig Helm copies to act as a release's ServiceAccount: the one Orderly was given or
   * found, or in a pod one for its own ServiceAccount.
   */
  private static String impersonationBase(ClusterTarget target) {
    if (target.kubeconfigContents() != null) {
      return target.kubeconfigContents();
    }
    java.io.File file = target.config().getFile();
    if (file != null && file.isFile()) {
      try {
        return java.nio.file.Files.readString(file.toPath());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot read kubeconfig " + file, e);
      }
    }
    return ImpersonatedKubeconfig.inCluster(target.server());
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
