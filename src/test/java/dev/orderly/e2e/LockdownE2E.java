package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.OrderedRelease;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recommended lockdown on the real API server: {@code --default-service-account=default
 * --no-cross-namespace-refs}. A release naming no ServiceAccount acts as its namespace's {@code
 * default} one; a spec naming another namespace is refused before anything runs.
 */
@RequiresControlPlane
class LockdownE2E extends RealClusterTest {

  @BeforeAll
  void runTheOperatorLockedDown() {
    operator.stop();
    operator =
        new OperatorProcess(
                OperatorProcess.builtJar(),
                operatorKubeconfig,
                work,
                "lockdown",
                List.of("--default-service-account=default", "--no-cross-namespace-refs=true"))
            .start();
  }

  @Test
  void aReleaseNamingNoServiceAccountActsAsTheDefaultOne() {
    String ns = namespace("e2e-lockdown");
    Tenants.grantAdmin(admin, ns, "default");
    String tenant = Tenants.user(ns, "default");
    Instant start = Instant.now();
    release(ns, "plain", "tenant", r -> tenantChart(r, "none"));
    awaitReady(ns, "plain");
    release(ns, "wide", "tenant", r -> tenantChart(r, "clusterRole"));
    Awaitility.await("wide stalls; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> stalled(ns, "wide"));
    assertThat(message(ns, "wide", "Stalled"))
        .startsWith("ServiceAccountForbidden: ")
        .contains("ServiceAccount " + ns + "/default may not")
        .contains("clusterroles");
    assertThat(admin.rbac().clusterRoles().withName("wide-everything").get()).isNull();

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName("plain").delete();
    awaitGone(ns, "plain", Duration.ofMinutes(2));
    List<Entry> writes =
        Tenants.operatorWrites(plane.audit(), start).stream()
            .filter(e -> e.resource().equals("configmaps"))
            .toList();
    Entry created =
        writes.stream()
            .filter(e -> e.verb().equals("create") && e.name().equals("plain-settings"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the ConfigMap was not created: " + writes));
    assertThat(created.impersonatedUser()).isEqualTo(tenant);
    Entry removed = AuditLog.deleteOf(writes, "configmaps", "plain-settings");
    assertThat(removed.completedAt()).isAfter(deleted);
    assertThat(removed.impersonatedUser()).isEqualTo(tenant);
  }

  @Test
  void aSpecNamingAnotherNamespaceIsRefusedBeforeAnythingRuns() {
    String ns = namespace("e2e-lockdown-refs");
    String elsewhere = namespace("e2e-lockdown-other");
    Instant start = Instant.now();
    release(
        ns,
        "away",
        "tenant",
        r -> {
          tenantChart(r, "none");
          r.getSpec().setTargetNamespace(elsewhere);
        });
    release(
        ns,
        "reach",
        "tenant",
        r -> {
          tenantChart(r, "none");
          r.getSpec()
              .getUninstall()
              .getDaemonSets()
              .add(
                  new DaemonSetSelector(
                      "kube-system",
                      new LabelSelectorBuilder().withMatchLabels(Map.of("k8s-app", "x")).build()));
        });
    for (String name : List.of("away", "reach")) {
      Awaitility.await(name + " stalls; operator log: " + operator.log())
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> stalled(ns, name));
      assertThat(message(ns, name, "Stalled"))
          .startsWith("CrossNamespaceReference: ")
          .contains("--no-cross-namespace-refs");
      Tenants.assertWarning(admin, ns, name, "CrossNamespaceReference", "outside");
    }
    assertThat(message(ns, "away", "Stalled")).contains("spec.targetNamespace " + elsewhere);
    assertThat(message(ns, "reach", "Stalled"))
        .contains("spec.uninstall.daemonSets[0].namespace kube-system");
    // Other tests' releases may still be retrying in their own namespaces meanwhile.
    assertThat(Tenants.operatorWrites(plane.audit(), start))
        .as("nothing was written in %s, kube-system or at the cluster scope", elsewhere)
        .noneMatch(
            e ->
                e.namespace().equals(elsewhere)
                    || e.namespace().equals("kube-system")
                    || e.namespace().isEmpty());
  }

  private static void tenantChart(OrderedRelease release, String attempt) {
    release.getSpec().setChart(Tenants.chart());
    release.getSpec().setValues(new ObjectMapper().createObjectNode().put("attempt", attempt));
  }
}
