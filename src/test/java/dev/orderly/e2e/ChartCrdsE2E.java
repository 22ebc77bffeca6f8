package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.api.UninstallOptions;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A chart with a CRD in crds/ and a custom resource in templates/ (keep-and-crds), on the real API
 * server with the operator chart's default RBAC: refused with the permission and the chart value
 * named, installed once the user grants it, and torn down leaving the CRD and the kept claim.
 */
@RequiresControlPlane
class ChartCrdsE2E extends RealClusterTest {
  private static final String NAME = "widgets";
  private static final String CRD = "widgets.example.com";
  private static final String GRANT = "orderly-e2e-widgets";
  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("example.com")
          .withVersion("v1")
          .withPlural("widgets")
          .withKind("Widget")
          .withNamespaced(true)
          .build();

  @AfterAll
  void removeWhatTheTestAdded() {
    plane.revoke(GRANT);
    admin.apiextensions().v1().customResourceDefinitions().withName(CRD).delete();
  }

  @Test
  void theCrdCannotBeAskedToBeDeletedInOtherWaysThanForeground() {
    String ns = namespace("e2e-propagation");
    for (UninstallOptions.Propagation propagation :
        List.of(UninstallOptions.Propagation.Background, UninstallOptions.Propagation.Orphan)) {
      assertThatThrownBy(
              () ->
                  release(
                      ns,
                      "p",
                      "keep-and-crds",
                      r -> r.getSpec().getUninstall().setDeletionPropagation(propagation)))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.uninstall.deletionPropagation")
          .hasMessageContaining("supported values: \"Foreground\"");
    }
  }

  @Test
  void refusedWithTheMissingPermissionThenInstalledAndTornDownKeepingTheCrdAndTheClaim() {
    String ns = namespace("e2e-crds");
    // The control plane has no volume provisioner, so the chart's claim never binds; this test is
    // about permissions and the teardown, not readiness.
    release(
        ns,
        NAME,
        "keep-and-crds",
        r -> {
          r.getSpec().getInstall().setWait(false);
          r.getSpec().getUpgrade().setWait(false);
        });
    Awaitility.await("Stalled naming the missing permission; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(90))
        .until(() -> stalled(ns, NAME));
    assertThat(message(ns, NAME, "Stalled"))
        .startsWith("InsufficientPermissions: helm install refused")
        .contains("widgets.example.com")
        .contains("rbac.releaseObjectRules");
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .anyMatch(
            e -> "Warning".equals(e.getType()) && e.getMessage().contains("widgets.example.com"));

    plane.grantToOperator(GRANT, "example.com", "widgets", "widgets/finalizers");
    awaitRecovered(ns, NAME);
    admin.genericKubernetesResources(WIDGETS).inNamespace(ns).resource(foreignWidget(ns)).create();

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(NAME).delete();
    awaitGone(ns, NAME, Duration.ofMinutes(2));

    List<Entry> deletes =
        plane
            .audit()
            .matching(
                deleted,
                e -> e.isDelete() && e.user().equals(ControlPlane.OPERATOR_USER) && e.succeeded());
    Entry widget = AuditLog.deleteOf(deletes, "widgets", NAME + "-default");
    Entry controller = AuditLog.deleteOf(deletes, "deployments", NAME + "-controller");
    assertThat(widget.completedAt())
        .as("custom resource before its controller")
        .isBefore(controller.completedAt());
    assertThat(deletes).noneMatch(e -> e.resource().equals("customresourcedefinitions"));
    assertThat(deletes).noneMatch(e -> e.resource().equals("persistentvolumeclaims"));

    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(CRD).get())
        .as("the CRD from crds/ is never deleted")
        .isNotNull();
    assertThat(
            admin
                .genericKubernetesResources(WIDGETS)
                .inNamespace(ns)
                .withName("not-in-the-release")
                .get())
        .as("a custom resource outside the release survives")
        .isNotNull();
    assertThat(admin.persistentVolumeClaims().inNamespace(ns).withName(NAME + "-data").get())
        .as("helm.sh/resource-policy: keep")
        .isNotNull();
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.configMaps().inNamespace(ns).withName(NAME + "-settings").get()).isNull();
    assertThat(admin.rbac().roles().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems())
        .isEmpty();
  }

  private static GenericKubernetesResource foreignWidget(String ns) {
    GenericKubernetesResource widget = new GenericKubernetesResource();
    widget.setApiVersion("example.com/v1");
    widget.setKind("Widget");
    widget.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("not-in-the-release")
            .withNamespace(ns)
            .build());
    return widget;
  }
}
