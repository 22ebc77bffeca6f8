package dev.orderly.bench;

import static org.awaitility.Awaitility.await;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.helm.HelmJavaClient;
import dev.orderly.reconciler.OrderlyOperator;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.TestApiServer;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * One benchmark cluster: a test API server, the cluster simulator on {@value #NODES} nodes with
 * hooks and pod terminations that finish at once, and the real operator with the production
 * defaults of {@code orderly run} (4 Helm threads, 10 reconciler threads). The benchmark and the
 * simulator use clients of their own whose requests carry a tag in {@code Accept}, so the journal
 * tells the operator's requests from theirs.
 */
final class BenchCluster implements AutoCloseable {
  static final Path CHART = Path.of("src/test/resources/charts/bench").toAbsolutePath();
  static final String RELEASE = "bench";
  static final int NODES = 3;
  static final int HELM_THREADS = 4;
  static final int RECONCILE_THREADS = 10;

  private static final String TAG = "orderly-bench=";

  private final TestApiServer server;
  private final KubernetesClient driver;
  private final KubernetesClient simulatorClient;
  private final ClusterSimulator simulator;
  private final Path workDir;
  private final Map<String, Instant> gone = new ConcurrentHashMap<>();
  private final SharedIndexInformer<OrderedRelease> releases;
  private OrderlyOperator operator;

  private BenchCluster(TestApiServer server, Path workDir) {
    this.server = server;
    this.workDir = workDir;
    this.driver = taggedClient(server.url(), "driver");
    this.simulatorClient = taggedClient(server.url(), "simulator");
    installCrd(driver);
    this.simulator = new ClusterSimulator(simulatorClient, NODES).start();
    simulator.completeJobsAutomatically(true);
    simulator.terminatePodsAtOnce(true);
    this.releases =
        driver.resources(OrderedRelease.class).inAnyNamespace().inform(goneRecorder(gone));
  }

  /** A cluster with the operator running. */
  static BenchCluster start() {
    BenchCluster cluster = withoutOperator();
    cluster.startOperator();
    return cluster;
  }

  /** A cluster whose operator is not started yet, e.g. to time its start. */
  static BenchCluster withoutOperator() {
    TestApiServer server = new TestApiServer().start();
    try {
      return new BenchCluster(server, Files.createTempDirectory("orderly-bench"));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** Starts the operator in this JVM, as {@code orderly run} would. */
  void startOperator() {
    operator =
        OrderlyOperator.start(
            server.client(),
            new HelmJavaClient(server.kubeconfig()),
            new OrderlyOperator.Settings(
                Set.of(),
                HELM_THREADS,
                RECONCILE_THREADS,
                workDir,
                "bench-operator",
                Clock.systemUTC()));
  }

  /** Stops the operator; the cluster keeps running. */
  void stopOperator() {
    try {
      operator.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    operator = null;
  }

  OrderlyOperator operator() {
    return operator;
  }

  TestApiServer server() {
    return server;
  }

  /** The benchmark's own client; its requests are not the operator's. */
  KubernetesClient driver() {
    return driver;
  }

  /** Whether the operator (its fabric8 client or helm-java) sent {@code request}. */
  static boolean fromOperator(ApiRequest request) {
    return !request.accept().contains(TAG);
  }

  /** An OrderedRelease of the benchmark chart, release {@value #RELEASE} in {@code namespace}. */
  static OrderedRelease release(String namespace, boolean suspend) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(RELEASE).build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(CHART.toString()));
    spec.setSuspend(suspend);
    release.setSpec(spec);
    return release;
  }

  /** Creates releases in {@code namespaces} and waits until each is Ready with its pods running. */
  void install(List<String> namespaces, Duration timeout) {
    for (String namespace : namespaces) {
      driver.resource(release(namespace, false)).create();
    }
    Set<String> wanted = Set.copyOf(namespaces);
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> readyCount(wanted) == wanted.size());
    awaitPods(namespaces, timeout);
  }

  /** Waits until the DaemonSet pods of the releases in {@code namespaces} are all running. */
  void awaitPods(List<String> namespaces, Duration timeout) {
    Set<String> wanted = Set.copyOf(namespaces);
    int pods = wanted.size() * BenchChart.DAEMONSETS * NODES;
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                driver.pods().inAnyNamespace().list().getItems().stream()
                        .filter(p -> wanted.contains(p.getMetadata().getNamespace()))
                        .filter(p -> p.getStatus() != null)
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == pods);
  }

  private long readyCount(Set<String> namespaces) {
    return driver.resources(OrderedRelease.class).inAnyNamespace().list().getItems().stream()
        .filter(r -> namespaces.contains(r.getMetadata().getNamespace()))
        .filter(r -> r.getMetadata().getFinalizers().contains(OrderedRelease.FINALIZER))
        .filter(BenchCluster::ready)
        .count();
  }

  private static boolean ready(OrderedRelease release) {
    return release.getStatus() != null
        && release.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Deletes the release in each namespace at once (from {@code senders} threads) and returns when
   * each delete was sent, by namespace.
   */
  Map<String, Instant> deleteAll(List<String> namespaces, int senders) {
    Map<String, Instant> sent = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String namespace : namespaces) {
        futures.add(pool.submit(() -> sent.put(namespace, delete(namespace))));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return sent;
  }

  /** Sends the delete of the release in {@code namespace}; returns the moment it was sent. */
  Instant delete(String namespace) {
    Instant at = Instant.now();
    driver.resources(OrderedRelease.class).inNamespace(namespace).withName(RELEASE).delete();
    return at;
  }

  /** The moment the release in {@code namespace} was seen gone, or null. */
  Instant goneAt(String namespace) {
    return gone.get(namespace);
  }

  /** Every request the server received so far. */
  List<ApiRequest> journal() {
    return server.requests();
  }

  @Override
  public void close() {
    if (operator != null) {
      try {
        operator.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    releases.stop();
    simulator.close();
    simulatorClient.close();
    driver.close();
    server.close();
    deleteTree(workDir);
  }

  private static ResourceEventHandler<OrderedRelease> goneRecorder(Map<String, Instant> gone) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(OrderedRelease release) {}

      @Override
      public void onUpdate(OrderedRelease before, OrderedRelease after) {}

      @Override
      public void onDelete(OrderedRelease release, boolean finalStateUnknown) {
        gone.putIfAbsent(release.getMetadata().getNamespace(), Instant.now());
      }
    };
  }

  /** A client whose every request carries {@code orderly-bench=<who>} in its Accept header. */
  static KubernetesClient taggedClient(String url, String who) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .withCustomHeaders(Map.of("Accept", "application/json;" + TAG + who))
            .build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  static void installCrd(KubernetesClient client) {
    try (InputStream in =
        Files.newInputStream(Path.of("crds", "orderedreleases.orderly.dev-v1.yml"))) {
      client.apiextensions().v1().customResourceDefinitions().load(in).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
