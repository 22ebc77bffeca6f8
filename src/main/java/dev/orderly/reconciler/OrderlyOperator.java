package dev.orderly.reconciler;

import dev.orderly.chart.ChartRenderer;
import dev.orderly.chart.HelmJavaTemplater;
import dev.orderly.helm.ChartResolver;
import dev.orderly.helm.HelmClient;
import dev.orderly.kube.ClusterDiscovery;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.StepObserver;
import dev.orderly.metrics.MetricsRegistry;
import dev.orderly.metrics.OrderlyMetrics;
import dev.orderly.metrics.ReconcileMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles and runs the operator: one controller for OrderedRelease, a Helm pool beside it. */
public final class OrderlyOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrderlyOperator.class);

  /** The Lease replicas compete for, so only one reconciles at a time. */
  public static final String LEASE_NAME = "orderly-operator";

  /**
   * How to run.
   *
   * @param namespaces namespaces to watch; empty means all
   * @param helmThreads how many Helm operations may run at once
   * @param reconcileThreads JOSDK's reconciler threads; they never wait on Helm or the cluster
   * @param workDir where charts are cached and values files written
   * @param instance this replica's name, for Events and the Lease
   * @param leaseNamespace where the leader-election Lease lives; null runs without election
   * @param exitOnLostLease end the process when leadership is lost (a pod then restarts clean)
   */
  public record Settings(
      Set<String> namespaces,
      int helmThreads,
      int reconcileThreads,
      Path workDir,
      String instance,
      Clock clock,
      String leaseNamespace,
      boolean exitOnLostLease) {

    /** Settings without leader election, as tests and single replicas use. */
    public Settings(
        Set<String> namespaces,
        int helmThreads,
        int reconcileThreads,
        Path workDir,
        String instance,
        Clock clock) {
      this(namespaces, helmThreads, reconcileThreads, workDir, instance, clock, null, false);
    }
  }

  private final Operator operator;
  private final HelmOperations operations;
  private final OrderlyMetrics metrics;
  private final AtomicBoolean leading;
  private final AtomicBoolean informersStopped;

  private OrderlyOperator(
      Operator operator,
      HelmOperations operations,
      OrderlyMetrics metrics,
      AtomicBoolean leading,
      AtomicBoolean informersStopped) {
    this.operator = operator;
    this.operations = operations;
    this.metrics = metrics;
    this.leading = leading;
    this.informersStopped = informersStopped;
  }

  /** Registers the controller and starts it; with election, it reconciles once it leads. */
  public static OrderlyOperator start(KubernetesClient client, HelmClient helm, Settings settings) {
    MetricsRegistry registry = new MetricsRegistry();
    OrderlyMetrics metrics = new OrderlyMetrics(registry, settings.clock()::instant);
    HelmOperations operations = new HelmOperations(settings.helmThreads(), settings.clock());
    ClusterDiscovery discovery =
        new ClusterDiscovery(client, settings.clock(), ClusterDiscovery.DEFAULT_MAX_AGE);
    ReleaseInstaller installer =
        new ReleaseInstaller(
            helm,
            new ChartResolver(settings.workDir().resolve("charts")),
            new ChartRenderer(new HelmJavaTemplater(), settings.workDir()),
            discovery::capabilities,
            settings.workDir().resolve("values"));
    EventRecorder events = new EventRecorder(client, settings.clock(), settings.instance());
    ReleaseEventSources sources = new ReleaseEventSources();
    ClusterObjects objects = new ClusterObjects(client);
    TeardownExecutor executor =
        new TeardownExecutor(
            objects,
            discovery,
            new StepObserver(objects, sources),
            operations,
            events,
            settings.clock());
    TeardownCoordinator teardown =
        new TeardownCoordinator(
            executor,
            events,
            metrics,
            settings.clock(),
            CrashPoints.parse(System.getenv(CrashPoints.ENVIRONMENT)));
    OrderedReleaseReconciler reconciler =
        new OrderedReleaseReconciler(
            installer, operations, teardown, sources, events, metrics, settings.clock());
    AtomicBoolean leading = new AtomicBoolean(settings.leaseNamespace() == null);
    AtomicBoolean informersStopped = new AtomicBoolean(false);
    Operator operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  // Status and finalizer patches without server-side apply: what the tests
                  // exercise is what ships.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withConcurrentReconciliationThreads(settings.reconcileThreads())
                  .withMetrics(new ReconcileMetrics(registry))
                  .withInformerStoppedHandler(
                      (informer, cause) -> {
                        // Informers also stop when the operator does; only a failure counts.
                        if (cause != null) {
                          // Liveness fails, so the kubelet restarts the pod with fresh informers.
                          LOG.error("An informer stopped; reporting unhealthy", cause);
                          informersStopped.set(true);
                        }
                      })
                  .withCloseClientOnStop(false);
              if (settings.leaseNamespace() != null) {
                overrider.withLeaderElectionConfiguration(leaderElection(settings, leading));
              }
            });
    operator.register(
        reconciler,
        config -> {
          // Our filter replaces the generation check, which would also drop annotation changes
          // during deletion (the escape hatches).
          config.withGenerationAware(false).withOnUpdateFilter(new RelevantChanges());
          if (settings.namespaces().isEmpty()) {
            config.watchingAllNamespaces();
          } else {
            config.settingNamespaces(settings.namespaces());
          }
        });
    try {
      operator.start();
    } catch (RuntimeException e) {
      operations.close();
      throw e;
    }
    return new OrderlyOperator(operator, operations, metrics, leading, informersStopped);
  }

  private static LeaderElectionConfiguration leaderElection(
      Settings settings, AtomicBoolean leading) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              LOG.info("{} is now the leader", settings.instance());
              leading.set(true);
            },
            () -> {
              LOG.info("{} stopped leading", settings.instance());
              leading.set(false);
            },
            leader -> LOG.info("The leader is {}", leader));
    return new LeaderElectionConfiguration(
        LEASE_NAME,
        settings.leaseNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        settings.instance(),
        callbacks,
        settings.exitOnLostLease());
  }

  /** The operator's metrics. */
  public OrderlyMetrics metrics() {
    return metrics;
  }

  /** Whether this replica holds the Lease (always true without election). */
  public boolean leading() {
    return leading.get();
  }

  /** Liveness: no informer has stopped for good. */
  public boolean live() {
    return !informersStopped.get();
  }

  /**
   * Readiness: started, and if leading, every informer synced and watching. A standby replica is
   * ready, or a PodDisruptionBudget could never let its node drain.
   */
  public boolean ready() {
    var runtime = operator.getRuntimeInfo();
    return runtime.isStarted() && live() && (!leading() || runtime.allEventSourcesAreHealthy());
  }

  @Override
  public void close() throws InterruptedException {
    operator.stop();
    operations.close();
  }
}
