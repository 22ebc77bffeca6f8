package dev.orderly.reconciler;

import dev.orderly.chart.ChartRenderer;
import dev.orderly.chart.HelmJavaTemplater;
import dev.orderly.helm.ChartResolver;
import dev.orderly.helm.ChartSourcePolicy;
import dev.orderly.helm.HelmClient;
import dev.orderly.helm.OciRegistryClient;
import dev.orderly.kube.CacheDoubt;
import dev.orderly.kube.ClusterDiscovery;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.OnDemandWatches;
import dev.orderly.kube.ReleaseClaims;
import dev.orderly.kube.ReleaseClients;
import dev.orderly.kube.ReleaseObjectReader;
import dev.orderly.kube.StepObserver;
import dev.orderly.kube.TeardownLedgerStore;
import dev.orderly.metrics.MetricsRegistry;
import dev.orderly.metrics.OrderlyMetrics;
import dev.orderly.metrics.ReconcileMetrics;
import dev.orderly.teardown.PhaseDecider;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles and runs the operator: one controller for OrderedRelease, a Helm pool beside it. */
public final class OrderlyOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrderlyOperator.class);

  /** How long a stop waits for reconciles and Lease renewals already under way. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(3);

  /** The Lease replicas compete for, so only one reconciles at a time. */
  public static final String LEASE_NAME = "orderly-operator";

  /**
   * How to run.
   *
   * @param namespaces namespaces to watch; empty means all
   * @param helmThreads how many Helm operations may run at once
   * @param reconcileThreads JOSDK's reconciler threads; they never wait on Helm or the cluster
   * @param workDir where charts are cached and values files written
   * @param instance this replica's name, for Events and the Lease; unique per process, or two
   *     processes would both lead
   * @param leaseNamespace where the leader-election Lease lives; null runs without election
   * @param chartSources which chart paths and repositories a spec may name
   * @param tenancy the ServiceAccount releases act as by default, and whether cross-namespace
   *     references are refused
   */
  public record Settings(
      Set<String> namespaces,
      int helmThreads,
      int reconcileThreads,
      Path workDir,
      String instance,
      Clock clock,
      String leaseNamespace,
      ChartSourcePolicy chartSources,
      TenancyPolicy tenancy) {

    /** Settings accepting every chart source and without lockdown, as tests use. */
    public Settings(
        Set<String> namespaces,
        int helmThreads,
        int reconcileThreads,
        Path workDir,
        String instance,
        Clock clock,
        String leaseNamespace) {
      this(
          namespaces,
          helmThreads,
          reconcileThreads,
          workDir,
          instance,
          clock,
          leaseNamespace,
          ChartSourcePolicy.unrestricted(),
          TenancyPolicy.NONE);
    }

    /** Settings without leader election, accepting every chart source, as tests use. */
    public Settings(
        Set<String> namespaces,
        int helmThreads,
        int reconcileThreads,
        Path workDir,
        String instance,
        Clock clock) {
      this(namespaces, helmThreads, reconcileThreads, workDir, instance, clock, null);
    }

    /** These settings with {@code chartSources}. */
    public Settings withChartSources(ChartSourcePolicy chartSources) {
      return new Settings(
          namespaces,
          helmThreads,
          reconcileThreads,
          workDir,
          instance,
          clock,
          leaseNamespace,
          chartSources,
          tenancy);
    }

    /** These settings with {@code tenancy}. */
    public Settings withTenancy(TenancyPolicy tenancy) {
      return new Settings(
          namespaces,
          helmThreads,
          reconcileThreads,
          workDir,
          instance,
          clock,
          leaseNamespace,
          chartSources,
          tenancy);
    }
  }

  private final Operator operator;
  private final HelmOperations operations;
  private final ReleaseClients clients;
  private final OrderlyMetrics metrics;
  private final Leadership leadership;
  private final AtomicBoolean informersStopped;
  private final ReleaseEventSources sources;
  private final OnDemandWatches watches;
  private boolean closed;

  private OrderlyOperator(
      Operator operator,
      HelmOperations operations,
      OrderlyMetrics metrics,
      Leadership leadership,
      AtomicBoolean informersStopped,
      ReleaseClients clients,
      ReleaseEventSources sources,
      OnDemandWatches watches) {
    this.sources = sources;
    this.watches = watches;
    this.clients = clients;
    this.operator = operator;
    this.operations = operations;
    this.metrics = metrics;
    this.leadership = leadership;
    this.informersStopped = informersStopped;
  }

  /** Registers the controller and starts it; with election, it reconciles once it leads. */
  public static OrderlyOperator start(KubernetesClient client, HelmClient helm, Settings settings) {
    return start(client, helm, settings, new MetricsRegistry());
  }

  /**
   * As {@link #start(KubernetesClient, HelmClient, Settings)}, recording into {@code registry}, so
   * its port can be served (and found taken) before the operator starts.
   */
  public static OrderlyOperator start(
      KubernetesClient client, HelmClient helm, Settings settings, MetricsRegistry registry) {
    OrderlyMetrics metrics = new OrderlyMetrics(registry, settings.clock()::instant);
    HelmOperations operations = new HelmOperations(settings.helmThreads(), settings.clock());
    ClusterDiscovery discovery =
        new ClusterDiscovery(client, settings.clock(), ClusterDiscovery.DEFAULT_MAX_AGE);
    EventRecorder events = new EventRecorder(client, settings.clock(), settings.instance());
    ReleaseEventSources sources = new ReleaseEventSources(settings.tenancy());
    // Pods, Jobs, workloads and whatever a teardown waits for are watched only where a release
    // needs them, for as long as it does; with watchNamespaces set never cluster-wide.
    OnDemandWatches watches = new OnDemandWatches(client, settings.namespaces().isEmpty());
    watches.wakeWith(sources::watchedChange);
    sources.onGone(watches::forget);
    ClusterObjects objects = new ClusterObjects(client);
    ReleaseClaims claims = new ReleaseClaims(client);
    // Impersonation: for a release that names a ServiceAccount (or gets the default one), Helm,
    // the record reads, marks and stale-lock removal before it, and the teardown's hooks, deletes
    // and searches are that ServiceAccount's; the operator's own identity keeps the bookkeeping.
    ReleaseClients clients =
        new ReleaseClients(
            client,
            objects,
            helm,
            account -> helm.actingAs(account.username()),
            settings.tenancy().defaultServiceAccount(),
            settings.clock());
    ReleaseInstaller installer =
        new ReleaseInstaller(
            clients,
            new ChartResolver(
                settings.workDir().resolve("charts"),
                OciRegistryClient.Hints.OPERATOR,
                settings.chartSources()),
            new ChartRenderer(new HelmJavaTemplater(), settings.workDir()),
            discovery::capabilities,
            settings.workDir().resolve("values"),
            new StaleLockRecovery(events, settings.clock()),
            claims);
    TeardownExecutor executor =
        new TeardownExecutor(
            objects,
            discovery,
            new StepObserver(
                objects,
                watches,
                new StepObserver.RecordLookup() {
                  @Override
                  public List<Secret> releaseSecrets(String namespace, String release) {
                    return sources.releaseSecrets(objects, namespace, release);
                  }

                  @Override
                  public boolean watched(String namespace) {
                    return sources.recordsWatched(namespace);
                  }
                },
                // As often as a watched wait is looked at without a change: its safety net.
                new CacheDoubt(System::nanoTime, PhaseDecider.SAFETY_NET)),
            operations,
            events,
            settings.clock(),
            claims,
            clients,
            settings.tenancy());
    TeardownCoordinator teardown =
        new TeardownCoordinator(
            executor,
            new TeardownLedgerStore(client),
            events,
            metrics,
            settings.clock(),
            CrashPoints.parse(System.getenv(CrashPoints.ENVIRONMENT)),
            new DependentsGate(sources::dependencyGraph, events, settings.clock()));
    OrderedReleaseReconciler reconciler =
        new OrderedReleaseReconciler(
            installer,
            new ReadinessGate(
                new ReleaseObjectReader(objects, client.getKubernetesSerialization()),
                discovery,
                events,
                settings.clock(),
                watches),
            operations,
            teardown,
            sources,
            events,
            metrics,
            settings.clock(),
            settings.tenancy());
    Leadership leadership = new Leadership(settings.instance(), settings.leaseNamespace() == null);
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
                  // On stop, a reconcile or Lease renewal under way may finish (none waits long)
                  // instead of being interrupted half-way.
                  .withReconciliationTerminationTimeout(STOP_GRACE)
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
                overrider.withLeaderElectionConfiguration(leaderElection(settings, leadership));
              }
            });
    operator.register(
        reconciler,
        config -> {
          // Our filter replaces the generation check, which would also drop annotation changes
          // during deletion (the escape hatches).
          config.withGenerationAware(false).withOnUpdateFilter(new RelevantChanges());
          // Every object is looked at this often even when nothing changes, so its heartbeat
          // (status.lastReconcileTime) stays fresh while the operator runs.
          config.withReconciliationMaxInterval(Heartbeat.RESYNC);
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
      clients.close();
      watches.close();
      throw e;
    }
    OrderlyOperator started =
        new OrderlyOperator(
            operator, operations, metrics, leadership, informersStopped, clients, sources, watches);
    leadership.onLost(started::stopAfterLostLease);
    return started;
  }

  private static LeaderElectionConfiguration leaderElection(
      Settings settings, Leadership leadership) {
    // JOSDK's own reaction to a lost lease (exitOnStopLeading) calls System.exit from the
    // callback. Its stop() cancels the election, which runs that callback, so a stop in a shutdown
    // hook (SIGTERM) called System.exit inside shutdown: the JVM waits for the hook, the hook
    // waits in exit, and the process hangs. Orderly handles the loss itself (Leadership), and
    // tells its own stop apart from a lease taken away.
    LeaderCallbacks callbacks =
        new LeaderCallbacks(leadership::started, leadership::stopped, leadership::observedLeader);
    return new LeaderElectionConfiguration(
        LEASE_NAME,
        settings.leaseNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        settings.instance(),
        callbacks,
        false);
  }

  /**
   * Stops reconciling for good once the Lease was lost (JOSDK would go on processing events), on a
   * thread of its own: the election's callback must return before the election can be stopped.
   */
  private void stopAfterLostLease() {
    Thread stopper =
        new Thread(
            () -> {
              try {
                close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                leadership.lostLease().complete(null);
              }
            },
            "orderly-lost-lease");
    stopper.start();
  }

  /** What the secondary caches hold, for tests and diagnostics. */
  public ReleaseEventSources.CachedCounts cached() {
    return sources.cached();
  }

  /** The operator's metrics. */
  public OrderlyMetrics metrics() {
    return metrics;
  }

  /** Whether this replica holds the Lease (always true without election). */
  public boolean leading() {
    return leadership.leading();
  }

  /**
   * Completes once this replica lost the Lease it held and has stopped reconciling; the process
   * should then end, so that it restarts clean and competes again. A {@link #close()} never
   * completes it. Never completes without election.
   */
  public CompletableFuture<Void> lostLease() {
    return leadership.lostLease().copy();
  }

  /**
   * The informers started on demand and running now, as {@code Kind/namespace} ({@code *} for
   * cluster-wide), for diagnostics and tests.
   */
  public Set<String> watchingOnDemand() {
    return watches.running();
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

  /** Stops reconciling and the Helm pool; idempotent, and safe from a shutdown hook. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    leadership.closing();
    operator.stop();
    watches.close();
    operations.close();
    clients.close();
  }
}
