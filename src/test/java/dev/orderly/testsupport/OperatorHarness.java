package dev.orderly.testsupport;

import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.ChartSourcePolicy;
import dev.orderly.helm.HelmClient;
import dev.orderly.helm.HelmJavaClient;
import dev.orderly.reconciler.OrderlyOperator;
import dev.orderly.reconciler.TenancyPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real operator, with the real helm-java, running against a {@link TestApiServer} that has the
 * OrderedRelease CRD installed. Each test gets its own server and work dir; close() stops both.
 */
public final class OperatorHarness implements AutoCloseable {
  /** Long enough for a cold helm-java start on a loaded 2-core machine; tests finish far sooner. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final TestApiServer server;
  private final Path workDir;
  private final Clock clock;
  private final UnaryOperator<HelmClient> helm;
  private final ChartSourcePolicy chartSources;
  private final TenancyPolicy tenancy;
  private OrderlyOperator operator;

  private OperatorHarness(
      TestApiServer server,
      Path workDir,
      Clock clock,
      UnaryOperator<HelmClient> helm,
      ChartSourcePolicy chartSources,
      TenancyPolicy tenancy) {
    this.server = server;
    this.workDir = workDir;
    this.clock = clock;
    this.helm = helm;
    this.chartSources = chartSources;
    this.tenancy = tenancy;
  }

  /** Starts a server with the CRD, and the operator against it. */
  public static OperatorHarness start() {
    return start(Clock.systemUTC());
  }

  /** As {@link #start()}, with the operator's clock. */
  public static OperatorHarness start(Clock clock) {
    return start(clock, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Clock)}, with the operator's Helm wrapped by {@code helm}, e.g. to hold an
   * install in flight while the test acts.
   */
  public static OperatorHarness start(Clock clock, UnaryOperator<HelmClient> helm) {
    return start(clock, helm, ChartSourcePolicy.unrestricted(), TenancyPolicy.NONE);
  }

  /** As {@link #start()}, accepting only the chart sources {@code chartSources} allows. */
  public static OperatorHarness start(ChartSourcePolicy chartSources) {
    return start(Clock.systemUTC(), UnaryOperator.identity(), chartSources, TenancyPolicy.NONE);
  }

  /** As {@link #start()}, the operator run with {@code tenancy}'s flags. */
  public static OperatorHarness start(TenancyPolicy tenancy) {
    return start(
        Clock.systemUTC(), UnaryOperator.identity(), ChartSourcePolicy.unrestricted(), tenancy);
  }

  private static OperatorHarness start(
      Clock clock,
      UnaryOperator<HelmClient> helm,
      ChartSourcePolicy chartSources,
      TenancyPolicy tenancy) {
    TestApiServer server = new TestApiServer().start();
    installCrd(server.client());
    try {
      OperatorHarness harness =
          new OperatorHarness(
              server,
              Files.createTempDirectory("orderly-operator"),
              clock,
              helm,
              chartSources,
              tenancy);
      harness.startOperator();
      return harness;
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (or restarts) the operator process; the cluster state is kept. */
  public void startOperator() {
    operator =
        OrderlyOperator.start(
            server.client(),
            helm.apply(new HelmJavaClient(server.kubeconfig())),
            new OrderlyOperator.Settings(Set.of(), 2, 4, workDir, "test-operator", clock)
                .withChartSources(chartSources)
                .withTenancy(tenancy));
  }

  /** Stops the operator as a crash or rollout would; the cluster state is kept. */
  public void stopOperator() {
    try {
      operator.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    operator = null;
  }

  public KubernetesClient client() {
    return server.client();
  }

  /** The running operator, e.g. to serve its metrics and probes; null while it is stopped. */
  public OrderlyOperator operator() {
    return operator;
  }

  /**
   * Creates the OrderedRelease CRD through {@code client} and waits until it is stored, for tests
   * that start their own operators against a bare {@link TestApiServer}.
   */
  public static void createCrd(KubernetesClient client) {
    installCrd(client);
  }

  public TestApiServer server() {
    return server;
  }

  /** Creates {@code release} in the server. */
  public OrderedRelease create(OrderedRelease release) {
    return client().resource(release).create();
  }

  /** The current object, or null when it is gone. */
  public OrderedRelease get(String namespace, String name) {
    return client().resources(OrderedRelease.class).inNamespace(namespace).withName(name).get();
  }

  /** Waits until {@code check} holds for the object and returns it. */
  public OrderedRelease awaitRelease(
      String namespace, String name, Function<OrderedRelease, Boolean> check) {
    try {
      return await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> get(namespace, name), r -> r != null && Boolean.TRUE.equals(check.apply(r)));
    } catch (ConditionTimeoutException e) {
      OrderedRelease last = get(namespace, name);
      throw new AssertionError(
          "the OrderedRelease never reached the expected state; it is now:\n"
              + (last == null ? "gone" : Serialization.asYaml(last.getStatus())),
          e);
    }
  }

  /** The condition of {@code type}, if the object has it. */
  public static Optional<Condition> condition(OrderedRelease release, String type) {
    if (release == null || release.getStatus() == null) {
      return Optional.empty();
    }
    return release.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /** Whether condition {@code type} has {@code status} and, when given, {@code reason}. */
  public static boolean hasCondition(
      OrderedRelease release, String type, String status, String reason) {
    return condition(release, type)
        .filter(c -> status.equals(c.getStatus()))
        .filter(c -> reason == null || reason.equals(c.getReason()))
        .isPresent();
  }

  /** Events about the object named {@code name} in {@code namespace}, oldest first. */
  public List<Event> events(String namespace, String name) {
    return client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        // The API server's resourceVersion orders them as they were written.
        .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .toList();
  }

  @Override
  public void close() {
    if (operator != null) {
      stopOperator();
    }
    server.close();
    try (Stream<Path> paths = Files.walk(workDir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void installCrd(KubernetesClient client) {
    Path crd = Path.of("crds", "orderedreleases.orderly.dev-v1.yml");
    try (var in = Files.newInputStream(crd)) {
      client.apiextensions().v1().customResourceDefinitions().load(in).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("orderedreleases.orderly.dev")
                        .get()
                    instanceof CustomResourceDefinition);
  }
}
