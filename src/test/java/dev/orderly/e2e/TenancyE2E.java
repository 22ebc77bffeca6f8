package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.OrderedRelease;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A tenant whose ServiceAccount holds {@code admin} in its own namespace only, releasing through
 * OrderedReleases with spec.serviceAccountName, on the real API server with RBAC enforced: what it
 * may do goes through in order, acted as it; what it may not (a cluster-scoped object, binding a
 * role it does not hold, another namespace, a DaemonSet elsewhere) ends in ServiceAccountForbidden
 * and nothing is created or deleted. The operator itself could do every one of these.
 */
@RequiresControlPlane
class TenancyE2E extends RealClusterTest {
  private static final String ACCOUNT = "deployer";

  @Test
  void anOrdinaryChartInstallsAndTearsDownInOrderAsTheTenant() {
    String ns = tenant("e2e-tenant-ok");
    String name = "db";
    String tenant = Tenants.user(ns, ACCOUNT);
    Instant start = Instant.now();
    release(ns, name, "hook-ordering", r -> r.getSpec().setServiceAccountName(ACCOUNT));
    awaitReady(ns, name);
    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(name).delete();
    awaitGone(ns, name, Duration.ofMinutes(3));

    List<Entry> writes =
        Tenants.operatorWrites(plane.audit(), start).stream()
            .filter(e -> e.namespace().equals(ns))
            .toList();
    assertThat(writes)
        .as("every write to the chart's objects (hooks included) was made as the tenant")
        .filteredOn(e -> !List.of("orderedreleases", "events", "secrets").contains(e.resource()))
        .isNotEmpty()
        .allMatch(e -> e.impersonatedUser().equals(tenant), "made as " + tenant);
    assertThat(writes)
        .as("the pre-delete hooks were created as the tenant")
        .filteredOn(e -> e.verb().equals("create") && e.resource().equals("jobs"))
        .filteredOn(e -> e.completedAt().isAfter(deleted))
        .isNotEmpty();
    List<Entry> deletes =
        writes.stream().filter(e -> e.isDelete() && e.completedAt().isAfter(deleted)).toList();
    Entry statefulSet = AuditLog.deleteOf(deletes, "statefulsets", name + "-db");
    Entry service = AuditLog.deleteOf(deletes, "services", name + "-db");
    Entry record = AuditLog.deleteOf(deletes, "secrets", "sh.helm.release.v1." + name + ".v1");
    assertThat(record.impersonatedUser())
        .as("Helm's record is removed as the tenant")
        .isEqualTo(tenant);
    assertThat(statefulSet.completedAt()).isBefore(service.completedAt());
    assertThat(service.completedAt()).isBefore(record.completedAt());
  }

  @Test
  void aClusterScopedObjectIsRefusedAndNothingIsCreated() {
    String ns = tenant("e2e-tenant-cluster");
    String name = "wide";
    Instant start = Instant.now();
    release(ns, name, "tenant", r -> tenantChart(r, "clusterRole"));
    String stalled = awaitStalled(ns, name);
    assertThat(stalled)
        .startsWith("ServiceAccountForbidden: ")
        .contains("ServiceAccount " + ns + "/" + ACCOUNT + " may not")
        .contains("clusterroles.rbac.authorization.k8s.io")
        .contains("cluster-scoped");
    Tenants.assertWarning(
        admin, ns, name, "ServiceAccountForbidden", "ServiceAccount " + ns + "/" + ACCOUNT);
    assertThat(admin.rbac().clusterRoles().withName(name + "-everything").get()).isNull();
    assertThat(Tenants.operatorWrites(plane.audit(), start))
        .as("no cluster-scoped object was written")
        .noneMatch(e -> e.namespace().isEmpty());
  }

  @Test
  void bindingARoleTheTenantDoesNotHoldIsRefused() {
    String ns = tenant("e2e-tenant-bind");
    String name = "grab";
    Instant start = Instant.now();
    release(ns, name, "tenant", r -> tenantChart(r, "bindAdmin"));
    String stalled = awaitStalled(ns, name);
    assertThat(stalled)
        .startsWith("ServiceAccountForbidden: ")
        .contains("ServiceAccount " + ns + "/" + ACCOUNT + " may not grant permissions");
    Tenants.assertWarning(admin, ns, name, "ServiceAccountForbidden", "may not grant");
    assertThat(admin.rbac().roleBindings().inNamespace(ns).withName(name + "-admin").get())
        .isNull();
    assertThat(Tenants.operatorWrites(plane.audit(), start))
        .noneMatch(e -> e.resource().equals("rolebindings"));
  }

  @Test
  void anotherNamespaceIsNotTouched() {
    String ns = tenant("e2e-tenant-here");
    String elsewhere = namespace("e2e-tenant-there");
    String name = "away";
    Instant start = Instant.now();
    release(
        ns,
        name,
        "tenant",
        r -> {
          tenantChart(r, "none");
          r.getSpec().setTargetNamespace(elsewhere);
        });
    assertThat(awaitStalled(ns, name))
        .startsWith("ServiceAccountForbidden: ")
        .contains("ServiceAccount " + ns + "/" + ACCOUNT + " may not")
        .contains("in the namespace " + elsewhere);
    Tenants.assertWarning(admin, ns, name, "ServiceAccountForbidden", elsewhere);

    // Nothing was installed, so the deletion has nothing to tear down.
    releases().inNamespace(ns).withName(name).delete();
    awaitGone(ns, name, Duration.ofSeconds(60));
    assertThat(Tenants.operatorWrites(plane.audit(), start))
        .as("nothing was written in %s", elsewhere)
        .noneMatch(e -> e.namespace().equals(elsewhere));
  }

  @Test
  void aDaemonSetOutsideTheTenantsNamespaceIsNotDeleted() {
    String ns = tenant("e2e-tenant-ds");
    String elsewhere = namespace("e2e-tenant-system");
    String name = "agent";
    admin
        .apps()
        .daemonSets()
        .inNamespace(elsewhere)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("victim")
                .withLabels(Map.of("app", "victim"))
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", "victim"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "victim"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("agent")
                .withImage("registry.example.com/agent:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    release(
        ns,
        name,
        "tenant",
        r -> {
          tenantChart(r, "none");
          r.getSpec()
              .getUninstall()
              .getDaemonSets()
              .add(
                  new DaemonSetSelector(
                      elsewhere,
                      new LabelSelectorBuilder().withMatchLabels(Map.of("app", "victim")).build()));
        });
    awaitReady(ns, name);

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(name).delete();
    Awaitility.await("the teardown stalls in DaemonSets; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> message(ns, name, "Stalled").startsWith("ServiceAccountForbidden: "));
    assertThat(message(ns, name, "Stalled"))
        .contains("ServiceAccount " + ns + "/" + ACCOUNT + " may not list daemonsets.apps")
        .contains(elsewhere);
    Tenants.assertWarning(admin, ns, name, "ServiceAccountForbidden", "daemonsets");
    assertThat(admin.apps().daemonSets().inNamespace(elsewhere).withName("victim").get())
        .isNotNull();

    // The escape hatch goes on without the DaemonSets it may not search for.
    releases()
        .inNamespace(ns)
        .withName(name)
        .edit(
            r -> {
              Map<String, String> annotations = new java.util.HashMap<>();
              if (r.getMetadata().getAnnotations() != null) {
                annotations.putAll(r.getMetadata().getAnnotations());
              }
              annotations.put("orderly.dev/force", "true");
              r.getMetadata().setAnnotations(annotations);
              return r;
            });
    awaitGone(ns, name, Duration.ofMinutes(2));
    assertThat(admin.apps().daemonSets().inNamespace(elsewhere).withName("victim").get())
        .as("the DaemonSet in another namespace is still there")
        .isNotNull();
    assertThat(Tenants.operatorWrites(plane.audit(), deleted))
        .as("nothing was deleted in %s", elsewhere)
        .noneMatch(e -> e.namespace().equals(elsewhere));
  }

  /** A namespace whose ServiceAccount {@value #ACCOUNT} holds admin there and nowhere else. */
  private String tenant(String prefix) {
    String ns = namespace(prefix);
    Tenants.grantAdmin(admin, ns, ACCOUNT);
    return ns;
  }

  private static void tenantChart(OrderedRelease release, String attempt) {
    release.getSpec().setChart(Tenants.chart());
    release.getSpec().setServiceAccountName(ACCOUNT);
    release
        .getSpec()
        .setValues(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("attempt", attempt));
  }

  /** Waits until Stalled=True; returns "Reason: message". */
  private String awaitStalled(String ns, String name) {
    Awaitility.await(ns + "/" + name + " stalls; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> stalled(ns, name));
    return message(ns, name, "Stalled");
  }
}
