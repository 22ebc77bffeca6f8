package dev.orderly.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.LintResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lints {@code charts/orderly} and checks what it renders with default and other values. */
class OrderlyChartTest {
  private static final String NS = OrderlyChart.NAMESPACE;
  private static final String NAMESPACED =
      """
      replicas: 1
      watchNamespaces: [team-a, team-b]
      logFormat: json
      metrics:
        serviceMonitor:
          enabled: true
          labels: {release: prometheus}
      extraVolumes:
        - name: charts
          configMap: {name: my-charts}
      extraVolumeMounts:
        - name: charts
          mountPath: /charts
          readOnly: true
      nodeSelector: {kubernetes.io/os: linux}
      tolerations: [{key: dedicated, operator: Exists}]
      """;

  private static Manifest defaults;
  private static Manifest namespaced;

  @BeforeAll
  static void render() {
    defaults = OrderlyChart.render("{}");
    namespaced = OrderlyChart.render(NAMESPACED);
  }

  @Test
  void lintsWithoutWarnings() {
    LintResult lint = OrderlyChart.lint();

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages())
        .noneMatch(m -> m.startsWith("[WARNING]") || m.startsWith("[ERROR]"));
  }

  @Test
  void theDeploymentRunsLockedDown() {
    JsonNode pod = defaults.get("Deployment", NS, "orderly").at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");

    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
    assertThat(pod.at("/securityContext/runAsGroup").asInt()).isEqualTo(10001);
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    JsonNode security = container.path("securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("runAsUser").asInt()).isEqualTo(10001);
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
    assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
  }

  @Test
  void tmpIsAWritableSizeLimitedEmptyDirForHelmsNativeLibrary() {
    JsonNode pod = defaults.get("Deployment", NS, "orderly").at("/spec/template/spec");

    assertThat(pod.at("/volumes/0/name").asText()).isEqualTo("tmp");
    assertThat(pod.at("/volumes/0/emptyDir/sizeLimit").asText()).isEqualTo("256Mi");
    assertThat(pod.at("/containers/0/volumeMounts"))
        .singleElement()
        .satisfies(
            mount -> {
              assertThat(mount.path("name").asText()).isEqualTo("tmp");
              assertThat(mount.path("mountPath").asText()).isEqualTo("/tmp");
              assertThat(mount.path("readOnly").asBoolean()).isFalse();
            });
  }

  @Test
  void theDefaultDeploymentWatchesEverythingWithTwoReplicasAndALeader() {
    ObjectNode deployment = defaults.get("Deployment", NS, "orderly");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(texts(container.path("args")))
        .containsExactly(
            "run",
            "--metrics-port=8080",
            "--log-format=text",
            "--leader-election=true",
            "--allowed-chart-paths=/opt/orderly/charts",
            "--allowed-repositories=https://,oci://",
            "--max-chart-archive-mib=20");
    assertThat(container.at("/image").asText()).isEqualTo("ghcr.io/orderly-dev/orderly:0.1.0");
    assertThat(container.path("env"))
        .anySatisfy(
            env -> {
              assertThat(env.path("name").asText()).isEqualTo("POD_NAMESPACE");
              assertThat(env.at("/valueFrom/fieldRef/fieldPath").asText())
                  .isEqualTo("metadata.namespace");
            });
    assertThat(container.path("env"))
        .as("the leader identity: one per pod")
        .anySatisfy(
            env -> {
              assertThat(env.path("name").asText()).isEqualTo("POD_NAME");
              assertThat(env.at("/valueFrom/fieldRef/fieldPath").asText())
                  .isEqualTo("metadata.name");
            });
    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("100m");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("256Mi");
    assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
    assertThat(defaults.get("PodDisruptionBudget", NS, "orderly").at("/spec/minAvailable").asInt())
        .isEqualTo(1);
    assertThat(defaults.all("ServiceMonitor")).isEmpty();
  }

  @Test
  void probesAndTheServiceUseTheMetricsPort() {
    JsonNode container =
        defaults.get("Deployment", NS, "orderly").at("/spec/template/spec/containers/0");
    ObjectNode service = defaults.get("Service", NS, "orderly-metrics");

    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http-metrics");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http-metrics");
    }
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http-metrics");
    assertThat(service.at("/spec/selector"))
        .isEqualTo(defaults.get("Deployment", NS, "orderly").at("/spec/template/metadata/labels"));
  }

  @Test
  void byDefaultRbacIsClusterWideWithoutEscalation() {
    assertThat(defaults.all("ClusterRole"))
        .extracting(Manifest.Document::name)
        .containsExactlyInAnyOrder("orderly", "orderly-cluster-scoped", "orderly-release-objects");
    assertThat(defaults.all("ClusterRoleBinding"))
        .extracting(Manifest.Document::name)
        .containsExactlyInAnyOrder("orderly", "orderly-cluster-scoped", "orderly-release-objects");
    assertThat(defaults.all("Role"))
        .extracting(Manifest.Document::id)
        .containsExactly(
            "rbac.authorization.k8s.io/v1 Role orderly-system/orderly-leader-election");
    assertThat(rules(defaults.get("ClusterRole", "", "orderly-release-objects")))
        .extracting(Rule::resource)
        .contains(
            "rbac.authorization.k8s.io/clusterroles",
            "apiextensions.k8s.io/customresourcedefinitions");
    assertThat(allRules(defaults))
        .noneMatch(r -> r.verb().equals("escalate") || r.verb().equals("bind"));
    assertThat(allRules(defaults))
        .noneMatch(r -> r.verb().equals("*") || r.resource().contains("*/"));
  }

  @Test
  void theOperatorMayDoWhatItsCodeDoes() {
    List<Rule> operator = rules(defaults.get("ClusterRole", "", "orderly"));

    assertThat(operator)
        .contains(
            new Rule("orderly.dev/orderedreleases", "watch"),
            new Rule("orderly.dev/orderedreleases", "patch"),
            new Rule("orderly.dev/orderedreleases/status", "patch"),
            new Rule("orderly.dev/orderedreleases/finalizers", "update"),
            new Rule("/events", "create"),
            new Rule("/secrets", "delete"),
            new Rule("/configmaps", "watch"),
            new Rule("/pods", "create"),
            new Rule("batch/jobs", "delete"),
            new Rule("apps/daemonsets", "delete"),
            new Rule("apps/replicasets", "watch"));
    assertThat(operator).doesNotContain(new Rule("/configmaps", "update"));
    assertThat(rules(defaults.get("ClusterRole", "", "orderly-cluster-scoped")))
        .contains(
            new Rule("/namespaces", "create"),
            new Rule("apiextensions.k8s.io/customresourcedefinitions", "get"))
        .doesNotContain(new Rule("apiextensions.k8s.io/customresourcedefinitions", "create"));
    assertThat(rules(defaults.get("Role", NS, "orderly-leader-election")))
        .containsExactlyInAnyOrder(
            new Rule("coordination.k8s.io/leases", "create"),
            new Rule("coordination.k8s.io/leases/orderly-operator", "get"),
            new Rule("coordination.k8s.io/leases/orderly-operator", "update"),
            new Rule("coordination.k8s.io/leases/orderly-operator", "patch"));
  }

  @Test
  void watchingSomeNamespacesGrantsRolesOnlyThere() {
    assertThat(namespaced.all("ClusterRole"))
        .extracting(Manifest.Document::name)
        .containsExactly("orderly-cluster-scoped");
    assertThat(namespaced.all("Role"))
        .extracting(Manifest.Document::id)
        .containsExactlyInAnyOrder(
            "rbac.authorization.k8s.io/v1 Role team-a/orderly",
            "rbac.authorization.k8s.io/v1 Role team-b/orderly",
            "rbac.authorization.k8s.io/v1 Role team-a/orderly-release-objects",
            "rbac.authorization.k8s.io/v1 Role team-b/orderly-release-objects",
            "rbac.authorization.k8s.io/v1 Role orderly-system/orderly-leader-election");
    for (String ns : List.of("team-a", "team-b")) {
      // One helper renders the rules in both modes: a Role grants what the ClusterRole grants.
      assertThat(namespaced.get("Role", ns, "orderly").path("rules"))
          .isEqualTo(defaults.get("ClusterRole", "", "orderly").path("rules"));
      assertThat(rules(namespaced.get("Role", ns, "orderly-release-objects")))
          .contains(new Rule("apps/deployments", "create"))
          .doesNotContain(new Rule("rbac.authorization.k8s.io/clusterroles", "create"));
      for (String role : List.of("orderly", "orderly-release-objects")) {
        ObjectNode binding = namespaced.get("RoleBinding", ns, role);
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role);
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("orderly");
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NS);
      }
    }
    assertThat(
            texts(
                namespaced
                    .get("Deployment", NS, "orderly")
                    .at("/spec/template/spec/containers/0/args")))
        .contains("--namespaces=team-a,team-b", "--log-format=json");
  }

  @Test
  void oneReplicaHasNoDisruptionBudgetButStillElectsALeader() {
    ObjectNode deployment = namespaced.get("Deployment", NS, "orderly");

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(namespaced.all("PodDisruptionBudget")).isEmpty();
    // A rolling update briefly runs the old and the new pod side by side.
    assertThat(texts(deployment.at("/spec/template/spec/containers/0/args")))
        .contains("--leader-election=true");
    assertThat(namespaced.find("Role", NS, "orderly-leader-election")).isPresent();
  }

  @Test
  void extraVolumesMountChartsBesideTmp() {
    JsonNode pod = namespaced.get("Deployment", NS, "orderly").at("/spec/template/spec");

    assertThat(pod.path("volumes"))
        .extracting(v -> v.path("name").asText())
        .containsExactly("tmp", "charts");
    assertThat(pod.at("/volumes/1/configMap/name").asText()).isEqualTo("my-charts");
    assertThat(pod.at("/containers/0/volumeMounts/1/mountPath").asText()).isEqualTo("/charts");
    assertThat(pod.at("/containers/0/volumeMounts/1/readOnly").asBoolean()).isTrue();
    assertThat(pod.at("/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
    assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("dedicated");
  }

  @Test
  void theServiceMonitorScrapesTheMetricsService() {
    ObjectNode monitor = namespaced.get("ServiceMonitor", NS, "orderly");
    ObjectNode service = namespaced.get("Service", NS, "orderly-metrics");

    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http-metrics");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertThat(texts(monitor.at("/spec/namespaceSelector/matchNames"))).containsExactly(NS);
    monitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            label ->
                assertThat(service.at("/metadata/labels").path(label.getKey()))
                    .isEqualTo(label.getValue()));
  }

  @Test
  void allowEscalationAddsBindAndEscalateInTheReleaseRoles() {
    Manifest clusterWide = OrderlyChart.render("rbac: {allowEscalation: true}");
    Manifest perNamespace =
        OrderlyChart.render("rbac: {allowEscalation: true}\nwatchNamespaces: [team-a]");

    assertThat(rules(clusterWide.get("ClusterRole", "", "orderly-release-objects")))
        .contains(
            new Rule("rbac.authorization.k8s.io/clusterroles", "bind"),
            new Rule("rbac.authorization.k8s.io/roles", "escalate"));
    assertThat(rules(perNamespace.get("Role", "team-a", "orderly-release-objects")))
        .contains(
            new Rule("rbac.authorization.k8s.io/clusterroles", "bind"),
            new Rule("rbac.authorization.k8s.io/roles", "escalate"));
  }

  @Test
  void releaseObjectRulesCanBeLeftToTheUserOrAllRbacTurnedOff() {
    Manifest noReleaseRules = OrderlyChart.render("rbac: {manageReleaseObjects: false}");
    Manifest noRbac =
        OrderlyChart.render(
            "rbac: {create: false}\nserviceAccount: {create: false, name: existing}");

    assertThat(noReleaseRules.find("ClusterRole", "", "orderly-release-objects")).isEmpty();
    assertThat(noReleaseRules.find("ClusterRole", "", "orderly")).isPresent();
    assertThat(noRbac.documents())
        .extracting(Manifest.Document::kind)
        .doesNotContain(
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    assertThat(
            noRbac
                .get("Deployment", NS, "orderly")
                .at("/spec/template/spec/serviceAccountName")
                .asText())
        .isEqualTo("existing");
  }

  @Test
  void chartSourcesBecomeTheOperatorsFlags() {
    Manifest custom =
        OrderlyChart.render(
            """
            chartSources:
              allowedPaths: [/opt/orderly/charts, /charts]
              allowedRepositories: ["https://charts.example.com/stable/", "oci://ghcr.io/acme/"]
              maxArchiveMiB: 5
            """);

    assertThat(
            texts(
                custom
                    .get("Deployment", NS, "orderly")
                    .at("/spec/template/spec/containers/0/args")))
        .contains(
            "--allowed-chart-paths=/opt/orderly/charts,/charts",
            "--allowed-repositories=https://charts.example.com/stable/,oci://ghcr.io/acme/",
            "--max-chart-archive-mib=5");
    assertThatThrownBy(() -> OrderlyChart.render("chartSources: {allowedPaths: [charts]}"))
        .hasMessageContaining("allowedPaths");
    assertThatThrownBy(() -> OrderlyChart.render("chartSources: {allowedRepositories: []}"))
        .hasMessageContaining("allowedRepositories");
    assertThatThrownBy(
            () -> OrderlyChart.render("chartSources: {allowedRepositories: [charts.example.com]}"))
        .hasMessageContaining("allowedRepositories");
  }

  @Test
  void theValuesSchemaRejectsTyposAndUnknownFormats() {
    assertThatThrownBy(() -> OrderlyChart.render("logFormat: xml"))
        .hasMessageContaining("logFormat");
    assertThatThrownBy(() -> OrderlyChart.render("rbac: {manageReleaseObject: true}"))
        .hasMessageContaining("manageReleaseObject");
  }

  /** One verb on one resource ({@code group/resource[/name]}), as a rule grants it. */
  record Rule(String resource, String verb) {}

  private static List<Rule> rules(ObjectNode role) {
    List<Rule> granted = new ArrayList<>();
    for (JsonNode rule : role.path("rules")) {
      List<String> names = texts(rule.path("resourceNames"));
      for (String group : texts(rule.path("apiGroups"))) {
        for (String resource : texts(rule.path("resources"))) {
          for (String verb : texts(rule.path("verbs"))) {
            if (names.isEmpty()) {
              granted.add(new Rule(group + "/" + resource, verb));
            }
            names.forEach(name -> granted.add(new Rule(group + "/" + resource + "/" + name, verb)));
          }
        }
      }
    }
    return granted;
  }

  private static List<Rule> allRules(Manifest manifest) {
    List<Rule> granted = new ArrayList<>();
    manifest.all("ClusterRole").forEach(d -> granted.addAll(rules(d.object())));
    manifest.all("Role").forEach(d -> granted.addAll(rules(d.object())));
    return granted;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
