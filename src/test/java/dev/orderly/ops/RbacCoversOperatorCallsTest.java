package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC allows every API call the operator makes. The operator runs as the chart deploys
 * it (electing a leader in the release namespace, watching what the values say) through a
 * representative life of a release. Each request the server received from it, Helm's included
 * (helm-java runs in the operator's process, as its ServiceAccount), is then checked against the
 * rules bound to the ServiceAccount the chart's Deployment runs as.
 */
class RbacCoversOperatorCallsTest {
  private static final Path CHART = Path.of("charts/orderly");
  private static final String RELEASE_NAMESPACE = "orderly-system";

  /** A chart a team in a namespace might ship: nothing cluster-scoped, a Role of its own. */
  private static final String TEAM_APP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: {{ .Release.Name }}-config}
      data: {greeting: hello}
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: {{ .Release.Name }}-agent}
      spec:
        selector: {matchLabels: {app: {{ .Release.Name }}-agent}}
        template:
          metadata: {labels: {app: {{ .Release.Name }}-agent}}
          spec:
            serviceAccountName: {{ .Release.Name }}-agent
            containers: [{name: agent, image: registry.example.com/agent:1}]
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: {{ .Release.Name }}-agent}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: {{ .Release.Name }}-agent}
      rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: {{ .Release.Name }}-agent}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: {{ .Release.Name }}-agent}
      subjects: [{kind: ServiceAccount, name: {{ .Release.Name }}-agent}]
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: {{ .Release.Name }}-flush
        annotations: {"helm.sh/hook": pre-delete, "helm.sh/hook-weight": "-2"}
      ---
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: {{ .Release.Name }}-flush
        annotations:
          "helm.sh/hook": pre-delete
          "helm.sh/hook-weight": "-1"
          "helm.sh/hook-delete-policy": hook-succeeded
      spec:
        template:
          spec:
            serviceAccountName: {{ .Release.Name }}-flush
            restartPolicy: Never
            containers: [{name: flush, image: registry.example.com/agent:1}]
      """;

  private static ChartRbac clusterWide;
  private static ChartRbac oneNamespace;

  private TestApiServer server;
  private KubernetesClient test;
  private ClusterSimulator simulator;
  private OperatorReplica operator;

  @BeforeAll
  static void renderTheChart() {
    clusterWide = ChartRbac.render(CHART, "orderly", RELEASE_NAMESPACE);
    oneNamespace =
        ChartRbac.render(CHART, "orderly", RELEASE_NAMESPACE, "watchNamespaces[0]", "apps");
  }

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    test = OperatorClients.testSide(server);
    OperatorHarness.createCrd(test);
    simulator = new ClusterSimulator(test, 2).start();
    simulator.completeJobsAutomatically(true);
    simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    simulator.close();
    if (operator != null) {
      operator.close();
    }
    test.close();
    server.close();
  }

  /** Install with valuesFrom into a namespace Helm creates, upgrade, then the ordered teardown. */
  @Test
  void watchingAllNamespacesTheOperatorMakesNoCallItsRbacForbids() {
    startOperator(clusterWide, Set.of());
    String ns = "agents";
    test.configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("agent-values")
                .withNamespace(ns)
                .endMetadata()
                .addToData("values.yaml", "logLevel: warn\n")
                .build())
        .create();
    OrderedRelease release = Releases.nodeAgent(ns, "agent");
    release.getSpec().setCreateNamespace(true);
    release
        .getSpec()
        .setValuesFrom(
            List.of(
                new ValuesReference(
                    ValuesReference.Kind.ConfigMap, "agent-values", "values.yaml")));
    test.resource(release).create();
    Releases.awaitReady(test, ns, "agent", "InstallSucceeded");
    assertThat(test.configMaps().inNamespace(ns).withName("agent-config").get().getData())
        .containsEntry("logLevel", "warn");

    OrderedRelease current = Releases.get(test, ns, "agent");
    current.getSpec().setValues(Releases.json("{\"controller\": {\"replicas\": 2}}"));
    test.resource(current).update();
    Releases.awaitReady(test, ns, "agent", "UpgradeSucceeded");
    assertThat(
            test.apps()
                .deployments()
                .inNamespace(ns)
                .withName("agent-controller")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
    awaitLeaseRenewal();
    test.resource(current).delete();
    Releases.awaitGone(test, ns, "agent");

    List<ApiCall> calls = operatorCalls();
    assertExercised(calls, "watch", "orderly.dev", "orderedreleases", null);
    assertExercised(calls, "create", "", "namespaces", null);
    assertExercised(calls, "create", "", "secrets", ns);
    assertExercised(calls, "create", "batch", "jobs", ns);
    assertExercised(calls, "delete", "apps", "daemonsets", ns);
    assertExercised(calls, "delete", "rbac.authorization.k8s.io", "clusterrolebindings", null);
    assertAllowed(calls, clusterWide);
  }

  /** Namespaced objects, RBAC among them, and pre-delete hooks: a ServiceAccount, then a Job. */
  @Test
  void watchingOneNamespaceTheOperatorMakesNoCallItsRbacForbids(@TempDir Path charts)
      throws IOException {
    Path chart = charts.resolve("team-app");
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"), "apiVersion: v2\nname: team-app\nversion: 0.1.0\n");
    Files.writeString(chart.resolve("templates").resolve("all.yaml"), TEAM_APP);
    startOperator(oneNamespace, Set.of("apps"));
    OrderedRelease release = Releases.ofChart("apps", "team", chart);
    test.resource(release).create();
    Releases.awaitReady(test, "apps", "team", "InstallSucceeded");
    awaitLeaseRenewal();
    test.resource(release).delete();
    Releases.awaitGone(test, "apps", "team");

    List<ApiCall> calls = operatorCalls();
    assertExercised(calls, "watch", "orderly.dev", "orderedreleases", "apps");
    assertExercised(calls, "create", "rbac.authorization.k8s.io", "rolebindings", "apps");
    assertExercised(calls, "create", "", "serviceaccounts", "apps");
    assertExercised(calls, "create", "batch", "jobs", "apps");
    assertExercised(calls, "delete", "apps", "daemonsets", "apps");
    assertExercised(calls, "delete", "rbac.authorization.k8s.io", "roles", "apps");
    assertThat(calls)
        .as("nothing is listed or watched across namespaces")
        .noneMatch(
            c ->
                c.isResourceRequest()
                    && c.namespace() == null
                    && (c.verb().equals("list") || c.verb().equals("watch")));
    assertAllowed(calls, oneNamespace);
  }

  /**
   * Starts the operator. JOSDK checks its Lease permissions through a SelfSubjectRulesReview before
   * it campaigns; it gets the chart's rules for the Lease's namespace, so it refuses to start when
   * they fall short.
   */
  private void startOperator(ChartRbac rbac, Set<String> namespaces) {
    operator =
        OperatorReplica.start(
            server,
            "orderly-0",
            RELEASE_NAMESPACE,
            namespaces,
            rbac.resourceRulesIn(RELEASE_NAMESPACE));
    await().atMost(OperatorHarness.TIMEOUT).until(operator::leading);
  }

  /** The leader renews its Lease every 2 s; waits until a renewal is among the calls checked. */
  private void awaitLeaseRenewal() {
    String lease =
        "/apis/coordination.k8s.io/v1/namespaces/" + RELEASE_NAMESPACE + "/leases/orderly-operator";
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .until(
            () ->
                server.requests().stream()
                    .anyMatch(r -> r.method().equals("PATCH") && r.path().equals(lease)));
  }

  /** The operator's and its Helm's calls: every request the test's own client did not make. */
  private List<ApiCall> operatorCalls() {
    List<ApiCall> calls =
        server.requests().stream().filter(r -> !isTestSide(r)).map(ApiCall::of).toList();
    assertExercised(calls, "create", "authorization.k8s.io", "selfsubjectrulesreviews", null);
    assertExercised(calls, "create", "coordination.k8s.io", "leases", RELEASE_NAMESPACE);
    assertExercised(calls, "patch", "coordination.k8s.io", "leases", RELEASE_NAMESPACE);
    assertExercised(calls, "patch", "orderly.dev", "orderedreleases/status", null);
    assertExercised(calls, "create", "", "events", null);
    assertThat(calls)
        .as("the test's own requests are told apart")
        .noneMatch(c -> c.verb().equals("create") && "orderedreleases".equals(c.resource()));
    return calls;
  }

  private static void assertAllowed(List<ApiCall> calls, ChartRbac rbac) {
    List<String> denied =
        calls.stream()
            .filter(call -> rbac.allowing(call).isEmpty())
            .collect(
                Collectors.groupingBy(ApiCall::attributes, LinkedHashMap::new, Collectors.toList()))
            .values()
            .stream()
            .map(
                same ->
                    same.get(0) + (same.size() > 1 ? " and " + (same.size() - 1) + " more" : ""))
            .toList();
    assertThat(denied)
        .as("of %d calls, those the RBAC bound to %s forbids", calls.size(), rbac.serviceAccount())
        .isEmpty();
  }

  /** Fails unless a call did {@code verb} on {@code resource} (in {@code namespace}, if given). */
  private static void assertExercised(
      List<ApiCall> calls, String verb, String group, String resource, String namespace) {
    assertThat(calls)
        .as("the scenario makes the operator %s %s %s", verb, group, resource)
        .anyMatch(
            c ->
                c.isResourceRequest()
                    && c.verb().equals(verb)
                    && c.group().equals(group)
                    && c.combinedResource().equals(resource)
                    && (namespace == null || namespace.equals(c.namespace())));
  }

  private static boolean isTestSide(ApiRequest request) {
    return request.accept().equals(OperatorClients.TEST_SIDE_ACCEPT);
  }
}
