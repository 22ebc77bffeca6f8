package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of every end-to-end test: the real control plane, two simulated nodes, and {@code
 * orderly run} in its own JVM acting as the operator chart's ServiceAccount. Each test works in
 * namespaces of its own and leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RealClusterTest {
  static final Path CHARTS = Path.of("charts", "examples").toAbsolutePath();

  protected ControlPlane plane;
  protected KubernetesClient admin;
  protected NodeStandIn nodes;
  protected OperatorProcess operator;

  /** The kubeconfig of the operator chart's ServiceAccount, which {@link #operator} uses. */
  protected Path operatorKubeconfig;

  /** Where this class's operators keep their logs and work files. */
  protected Path work;

  private final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  void startCluster() {
    plane = ControlPlane.fromEnvironment().orElseThrow();
    admin = plane.admin();
    work = Path.of("target", "e2e", getClass().getSimpleName()).toAbsolutePath();
    operatorKubeconfig =
        plane.installOperatorIdentity(Path.of("operator"), work.resolve("operator.kubeconfig"));
    nodes = new NodeStandIn(plane, List.of("e2e-node-1", "e2e-node-2")).start();
    operator =
        new OperatorProcess(
                OperatorProcess.builtJar(), operatorKubeconfig, work, "operator", List.of())
            .start();
  }

  @AfterAll
  void stopCluster() {
    if (operator != null && !namespaces.isEmpty()) {
      // Their finalizers need a running operator to go.
      operator.ensureRunning();
    }
    for (String namespace : namespaces) {
      try {
        // Releases first, while the operator still runs, so their finalizers do not hold the
        // namespace; then the namespace.
        releases().inNamespace(namespace).delete();
        admin.namespaces().withName(namespace).delete();
      } catch (KubernetesClientException e) {
        // Already going.
      }
    }
    if (operator != null && !namespaces.isEmpty()) {
      Awaitility.await("the test's namespaces are gone")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  namespaces.stream().allMatch(n -> admin.namespaces().withName(n).get() == null));
    }
    if (operator != null) {
      operator.stop();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  /** A fresh namespace for this test, removed after the class. */
  protected String namespace(String prefix) {
    String name =
        prefix + "-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    namespaces.add(name);
    return name;
  }

  protected MixedOperation<
          OrderedRelease, KubernetesResourceList<OrderedRelease>, Resource<OrderedRelease>>
      releases() {
    return admin.resources(OrderedRelease.class);
  }

  /** An OrderedRelease of the example chart {@code chart}, changed by {@code customize}. */
  protected OrderedRelease release(
      String namespace, String name, String chart, Consumer<OrderedRelease> customize) {
    OrderedRelease release = new OrderedRelease();
    release.getMetadata().setNamespace(namespace);
    release.getMetadata().setName(name);
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(CHARTS.resolve(chart).toString()));
    release.setSpec(spec);
    customize.accept(release);
    return releases().inNamespace(namespace).resource(release).create();
  }

  /** Waits until the release is Ready=True, failing early with its Stalled message. */
  protected OrderedRelease awaitReady(String namespace, String name) {
    Awaitility.await(namespace + "/" + name + " Ready=True; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> condition(namespace, name, "Ready").equals("True") || stalled(namespace, name));
    assertThat(condition(namespace, name, "Ready"))
        .as("Ready of %s/%s (Stalled: %s)", namespace, name, message(namespace, name, "Stalled"))
        .isEqualTo("True");
    return releases().inNamespace(namespace).withName(name).get();
  }

  /** Waits until a stalled release recovers through its own retries (backoff 10 s, 20 s, ...). */
  protected void awaitRecovered(String namespace, String name) {
    Awaitility.await(
            namespace + "/" + name + " recovers to Ready=True; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> condition(namespace, name, "Ready").equals("True"));
  }

  /** Waits until the Job exists, e.g. the hook Helm is running. */
  protected void awaitJob(String namespace, String name) {
    Awaitility.await("Job " + namespace + "/" + name + " exists; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> admin.batch().v1().jobs().inNamespace(namespace).withName(name).get() != null);
  }

  protected void awaitGone(String namespace, String name, Duration atMost) {
    Awaitility.await(namespace + "/" + name + " is gone; operator log: " + operator.log())
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> releases().inNamespace(namespace).withName(name).get() == null);
  }

  protected boolean stalled(String namespace, String name) {
    return condition(namespace, name, "Stalled").equals("True");
  }

  /** The condition's status, or "" when the release or the condition does not exist. */
  protected String condition(String namespace, String name, String type) {
    return findCondition(namespace, name, type).map(Condition::getStatus).orElse("");
  }

  /** "Reason: message" of the condition, or "". */
  protected String message(String namespace, String name, String type) {
    return findCondition(namespace, name, type)
        .map(c -> c.getReason() + ": " + c.getMessage())
        .orElse("");
  }

  private Optional<Condition> findCondition(String namespace, String name, String type) {
    OrderedRelease release = releases().inNamespace(namespace).withName(name).get();
    if (release == null || release.getStatus() == null) {
      return Optional.empty();
    }
    return release.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /**
   * Installs the node-agent example as {@code name}, its pods probing "list nodes" as their
   * ServiceAccount at preStop, and waits until it is Ready with its 3 pods running.
   */
  protected void installNodeAgent(String namespace, String name) {
    nodes.probing(
        pod ->
            Optional.of(
                asPod -> asPod.nodes().list(new ListOptionsBuilder().withLimit(1L).build())));
    release(namespace, name, "node-agent", r -> {});
    awaitReady(namespace, name);
    awaitRunningPods(namespace, "app.kubernetes.io/instance", name, 3);
  }

  /** Waits until {@code count} pods matching the label are Running. */
  protected void awaitRunningPods(String namespace, String label, String value, int count) {
    Awaitility.await(count + " running pods " + label + "=" + value + " in " + namespace)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                admin
                        .pods()
                        .inNamespace(namespace)
                        .withLabel(label, value)
                        .list()
                        .getItems()
                        .stream()
                        .filter(
                            p ->
                                p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == count);
  }
}
