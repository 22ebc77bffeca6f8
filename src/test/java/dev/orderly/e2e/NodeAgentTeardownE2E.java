package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The headline promise on a real control plane: the node-agent example and a DaemonSet its operator
 * made come down with every pod keeping its RBAC until it is gone, as the API server authorises it
 * and as its audit log orders it.
 */
@RequiresControlPlane
class NodeAgentTeardownE2E extends RealClusterTest {
  private static final String NAME = "node-agent";
  private static final String INSTANCE = "app.kubernetes.io/instance";

  @Test
  void everyPodKeepsItsRbacUntilItIsGoneAndTheFinalizerGoesLast() {
    String ns = namespace("e2e-agents");
    nodes.preStop(pod -> Duration.ofSeconds(2));
    installNodeAgent(ns, NAME);
    // What the chart's own operator would make: a DaemonSet outside the chart, labelled with the
    // release and running as the chart's ServiceAccount.
    admin
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("node-agent-operator-made")
                .addToLabels(INSTANCE, NAME)
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "operator-made")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "operator-made")
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName("node-agent-agent")
                .addNewContainer()
                .withName("agent")
                .withImage("registry.example.com/operator-made:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    awaitRunningPods(ns, "app", "operator-made", 2);
    Instant deleted = Instant.now();

    releases().inNamespace(ns).withName(NAME).delete();
    awaitGone(ns, NAME, Duration.ofMinutes(3));

    List<NodeStandIn.ProbeResult> probes =
        nodes.probes().stream().filter(p -> p.namespace().equals(ns)).toList();
    assertThat(probes.stream().filter(p -> p.owner().equals("DaemonSet")))
        .as("a preStop probe for each of the 4 DaemonSet pods")
        .hasSize(4);
    assertThat(probes)
        .as("every pod was authorised at preStop")
        .allMatch(NodeStandIn.ProbeResult::authorised);

    List<Entry> audit = plane.audit().since(deleted);
    List<Entry> podsFinished =
        audit.stream()
            .filter(e -> e.isDelete() && e.resource().equals("pods") && e.namespace().equals(ns))
            .filter(e -> e.userAgent().startsWith(NodeStandIn.USER_AGENT) && e.succeeded())
            .toList();
    assertThat(podsFinished)
        .as("pod deletions finished by the node stand-in")
        .hasSizeGreaterThanOrEqualTo(5);
    List<Entry> rbacDeletes = operatorDeletes(audit).stream().filter(Entry::isRbac).toList();
    assertThat(rbacDeletes)
        .as("the operator deleted the ServiceAccount, ClusterRole and ClusterRoleBinding")
        .extracting(Entry::resource)
        .contains("serviceaccounts", "clusterroles", "clusterrolebindings");
    Instant lastPodGone = podsFinished.get(podsFinished.size() - 1).completedAt();
    assertThat(rbacDeletes.get(0).completedAt())
        .as(
            "first RBAC delete (%s) after the last pod was gone (%s)",
            rbacDeletes.get(0), lastPodGone)
        .isAfter(lastPodGone);

    Entry recordDeleted =
        operatorDeletes(audit).stream()
            .filter(
                e ->
                    e.resource().equals("secrets")
                        && e.name().startsWith("sh.helm.release.v1." + NAME + "."))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("the release record was not deleted: " + audit));
    assertThat(recordDeleted.completedAt())
        .isAfter(rbacDeletes.get(rbacDeletes.size() - 1).completedAt());
    Entry lastWrite =
        audit.stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER))
            .filter(e -> e.resource().equals("orderedreleases") && e.subresource().isEmpty())
            .filter(e -> e.verb().equals("patch") || e.verb().equals("update"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(lastWrite.completedAt())
        .as("finalizer removed after the record")
        .isAfter(recordDeleted.completedAt());

    List<Entry> operatorRequests =
        audit.stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER))
            .filter(e -> e.completedAt().isBefore(lastWrite.completedAt().plusMillis(1)))
            .toList();
    System.out.println(
        "operator requests of the teardown by verb, resource and code: "
            + operatorRequests.stream()
                .collect(
                    Collectors.groupingBy(
                        e ->
                            e.verb()
                                + " "
                                + e.resource()
                                + (e.subresource().isEmpty() ? "" : "/" + e.subresource())
                                + " "
                                + e.code(),
                        TreeMap::new,
                        Collectors.counting())));
    assertThat(operatorRequests)
        .as("no request of the operator's teardown met a conflict (409) or an unapplicable patch")
        .noneMatch(e -> e.code() == 409 || e.code() == 422);
    List<String> onTheObject =
        operatorRequests.stream()
            .filter(e -> e.resource().equals("orderedreleases") && e.subresource().isEmpty())
            .filter(e -> e.name().equals(NAME) && e.namespace().equals(ns))
            .map(e -> e.verb() + " " + e.code())
            .toList();
    // A look at the object as the cache still held it may patch once more, and find it gone.
    assertThat(onTheObject)
        .as("the finalizer went in one patch, with no read of the object before it")
        .isSubsetOf("patch 200", "patch 404")
        .containsOnlyOnce("patch 200");

    long drainJobs =
        audit.stream()
            .filter(
                e ->
                    e.verb().equals("create")
                        && e.resource().equals("jobs")
                        && e.namespace().equals(ns))
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER) && e.succeeded())
            .count();
    assertThat(drainJobs).as("the pre-delete hook ran once").isEqualTo(1);

    assertThat(admin.apps().daemonSets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.pods().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.configMaps().inNamespace(ns).withLabel(INSTANCE, NAME).list().getItems())
        .isEmpty();
    assertThat(admin.serviceAccounts().inNamespace(ns).withName("node-agent-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoles().withName("node-agent-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName("node-agent-agent").get()).isNull();
    assertThat(admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems())
        .isEmpty();
  }

  private static List<Entry> operatorDeletes(List<Entry> audit) {
    return audit.stream()
        .filter(e -> e.isDelete() && e.succeeded() && e.user().equals(ControlPlane.OPERATOR_USER))
        .toList();
  }
}
