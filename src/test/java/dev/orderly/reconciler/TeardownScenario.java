package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One node-agent release on the test API server with the cluster simulator: installed, then torn
 * down under the test's control. Shared by the teardown integration tests.
 */
final class TeardownScenario implements AutoCloseable {
  static final String NS = "agents";
  static final String NAME = "agent";
  static final String HOLD = "test.orderly.dev/hold";

  /** Every phase that gets announced, spelt out in the order the teardown must run them. */
  static final List<String> ALL_PHASES =
      List.of(
          "PreDeleteHooks",
          "CustomResources",
          "Admission",
          "DaemonSets",
          "Workloads",
          "ConfigAndNetwork",
          "Rbac",
          "Release",
          "PostDeleteHooks",
          "Namespaces");

  final OperatorHarness harness;
  final ClusterSimulator simulator;

  TeardownScenario(Clock clock) {
    this(clock, java.util.function.UnaryOperator.identity());
  }

  /** As {@link #TeardownScenario(Clock)}, with the operator's Helm wrapped by {@code helm}. */
  TeardownScenario(
      Clock clock, java.util.function.UnaryOperator<dev.orderly.helm.HelmClient> helm) {
    harness = OperatorHarness.start(clock, helm);
    simulator = new ClusterSimulator(harness.client(), 2).start();
  }

  TeardownScenario() {
    this(Clock.systemUTC());
  }

  /** Installs the node-agent chart, changed by {@code customize}, and waits until it is Ready. */
  OrderedRelease install(Consumer<OrderedRelease> customize) {
    OrderedRelease ready = installChart(Releases.NODE_AGENT, customize);
    awaitPods("agent-agent", 2);
    return ready;
  }

  /** Installs {@code chart} as release agent in namespace agents and waits until it is Ready. */
  OrderedRelease installChart(java.nio.file.Path chart, Consumer<OrderedRelease> customize) {
    OrderedRelease release = Releases.ofChart(NS, NAME, chart);
    customize.accept(release);
    harness.create(release);
    return harness.awaitRelease(NS, NAME, r -> hasCondition(r, "Ready", "True", null));
  }

  /**
   * As {@link #installChart}, waiting up to {@code timeout}, for a chart too large for the usual.
   */
  OrderedRelease installChart(
      java.nio.file.Path chart, Consumer<OrderedRelease> customize, java.time.Duration timeout) {
    OrderedRelease release = Releases.ofChart(NS, NAME, chart);
    customize.accept(release);
    harness.create(release);
    await()
        .atMost(timeout)
        .until(() -> current() != null && hasCondition(current(), "Ready", "True", null));
    return current();
  }

  /** A DaemonSet the chart's operator would create: not in the chart, labelled for the release. */
  DaemonSet operatorManagedDaemonSet(String name) {
    DaemonSet daemonSet =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NS)
            .addToLabels("app.kubernetes.io/instance", NAME)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName("agent-agent")
            .addNewContainer()
            .withName("probe")
            .withImage("registry.example.com/probe:1")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    DaemonSet created = harness.client().resource(daemonSet).create();
    awaitPods(name, 2);
    return created;
  }

  /** Touches the object so the operator looks at it now, as any update would make it. */
  void poke() {
    annotate("test.orderly.dev/poke", String.valueOf(System.nanoTime()));
  }

  /**
   * Sets an annotation on the object, e.g. an escape hatch, with a merge patch that carries no
   * resourceVersion, as {@code kubectl annotate} does, so it never conflicts with the operator.
   */
  void annotate(String key, String value) {
    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName(NAME)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  /** Adds a finalizer to an object of the release, holding its deletion until released. */
  void hold(io.fabric8.kubernetes.api.model.HasMetadata object) {
    changeFinalizers(object, finalizers -> finalizers.add(HOLD));
  }

  /** Removes the test's finalizer again. */
  void release(io.fabric8.kubernetes.api.model.HasMetadata object) {
    changeFinalizers(object, finalizers -> finalizers.remove(HOLD));
  }

  // A merge patch without resourceVersion, as a controller managing its finalizer would send.
  private void changeFinalizers(
      io.fabric8.kubernetes.api.model.HasMetadata object, Consumer<List<String>> change) {
    var current = harness.client().resource(object).get();
    List<String> finalizers = new java.util.ArrayList<>(current.getMetadata().getFinalizers());
    change.accept(finalizers);
    harness
        .client()
        .resource(current)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"finalizers\":"
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(finalizers)
                + "}}");
  }

  /** The bodies' {@code status} of the operator's status writes among {@code journal}, in order. */
  static List<com.fasterxml.jackson.databind.JsonNode> statusWrites(
      List<dev.orderly.testsupport.ApiRequest> journal) {
    return journal.stream()
        .filter(
            r ->
                (r.method().equals("PUT") || r.method().equals("PATCH"))
                    && r.path().contains("/orderedreleases/" + NAME + "/status"))
        .map(r -> Releases.json(r.body()).path("status"))
        .toList();
  }

  void delete() {
    harness.client().resources(OrderedRelease.class).inNamespace(NS).withName(NAME).delete();
  }

  /**
   * Every step of {@code release}'s teardown, read as the operator reads them: from the ledger
   * Secret, or from status when the steps are kept there.
   */
  List<dev.orderly.api.TeardownStep> steps(OrderedRelease release) {
    return dev.orderly.kube.TeardownLedgerStore.fullTeardown(harness.client(), release).getSteps();
  }

  OrderedRelease current() {
    return harness.get(NS, NAME);
  }

  OrderedRelease awaitRelease(Predicate<OrderedRelease> check) {
    return harness.awaitRelease(NS, NAME, check::test);
  }

  void awaitGone() {
    awaitGone(OperatorHarness.TIMEOUT);
  }

  /** As {@link #awaitGone()}, for a teardown of a chart too large for the usual time. */
  void awaitGone(java.time.Duration timeout) {
    try {
      await().atMost(timeout).until(() -> current() == null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "the teardown never finished; status:\n"
              + io.fabric8.kubernetes.client.utils.Serialization.asYaml(current().getStatus())
              + "events: "
              + eventReasons(),
          e);
    }
  }

  void awaitPods(String prefix, int count) {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                harness.client().pods().inNamespace(NS).list().getItems().stream()
                        .filter(p -> p.getMetadata().getName().startsWith(prefix))
                        .count()
                    == count);
  }

  boolean exists(String kind, String name) {
    var client = harness.client();
    Object found =
        switch (kind) {
          case "Job" -> client.batch().v1().jobs().inNamespace(NS).withName(name).get();
          case "DaemonSet" -> client.apps().daemonSets().inNamespace(NS).withName(name).get();
          case "Deployment" -> client.apps().deployments().inNamespace(NS).withName(name).get();
          case "ConfigMap" -> client.configMaps().inNamespace(NS).withName(name).get();
          case "ServiceAccount" -> client.serviceAccounts().inNamespace(NS).withName(name).get();
          case "ClusterRole" -> client.rbac().clusterRoles().withName(name).get();
          case "ClusterRoleBinding" -> client.rbac().clusterRoleBindings().withName(name).get();
          case "Secret" -> client.secrets().inNamespace(NS).withName(name).get();
          default -> throw new IllegalArgumentException(kind);
        };
    return found != null;
  }

  /** The teardown phases announced in Events, in order. */
  List<String> announcedPhases() {
    return harness.events(NS, NAME).stream()
        .filter(e -> "TeardownPhaseStarted".equals(e.getReason()))
        .map(Event::getMessage)
        .map(m -> m.substring(m.lastIndexOf(' ') + 1))
        .toList();
  }

  List<String> eventReasons() {
    return harness.events(NS, NAME).stream().map(Event::getReason).toList();
  }

  List<ApiRequest> requests() {
    return harness.server().requests();
  }

  @Override
  public void close() {
    simulator.close();
    harness.close();
  }
}
