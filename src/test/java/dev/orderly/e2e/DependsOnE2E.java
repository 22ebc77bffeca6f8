package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Three releases tied by spec.dependsOn on the real control plane: an operator with its CRD (op),
 * custom resources whose finalizer only that operator removes (crs), and an app on top. Created at
 * once they install op first; deleted in one request they come down app, then crs, then op, so no
 * custom resource is left stuck, as the API server's audit log shows. The operator's pod is stood
 * in for by this test: it removes a Gadget's finalizer only while op's Deployment exists.
 */
@RequiresControlPlane
class DependsOnE2E extends RealClusterTest {
  private static final Path CHARTS = Path.of("src", "test", "resources", "charts").toAbsolutePath();
  private static final String CRD = "gadgets.e2e.orderly.dev";
  private static final String GRANT = "orderly-e2e-gadgets";
  private static final String FINALIZER = "e2e.orderly.dev/cleanup";
  private static final ResourceDefinitionContext GADGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("e2e.orderly.dev")
          .withVersion("v1")
          .withPlural("gadgets")
          .withKind("Gadget")
          .withNamespaced(true)
          .build();

  @AfterAll
  void removeWhatTheTestAdded() {
    plane.revoke(GRANT);
    admin.apiextensions().v1().customResourceDefinitions().withName(CRD).delete();
  }

  @Test
  void installsOperatorFirstAndTearsDownAppThenCustomResourcesThenOperator() throws Exception {
    plane.grantToOperator(GRANT, "e2e.orderly.dev", "gadgets");
    String ns = namespace("e2e-deps");
    Instant created = Instant.now();
    // Created dependents first, so only spec.dependsOn can make op go first.
    create(ns, "app", "gadget-app", "crs");
    create(ns, "crs", "gadget-instances", "op");
    create(ns, "op", "gadget-operator", null);
    awaitReady(ns, "app");

    List<Entry> creates =
        plane
            .audit()
            .matching(
                created,
                e ->
                    e.verb().equals("create")
                        && e.user().equals(ControlPlane.OPERATOR_USER)
                        && e.succeeded()
                        && ns.equals(e.namespace())
                        && (e.resource().equals("deployments") || e.resource().equals("gadgets")));
    assertThat(creates)
        .as("creates in the order the server completed them: %s", creates)
        .extracting(Entry::resource)
        .containsExactly("deployments", "gadgets", "gadgets", "deployments");
    assertThat(creates.get(0).name()).isIn("op-controller", "");
    assertThat(creates.get(3).name()).isIn("app-web", "");

    List<Instant> finalized = new CopyOnWriteArrayList<>();
    ScheduledExecutorService gadgetOperator = Executors.newSingleThreadScheduledExecutor();
    gadgetOperator.scheduleWithFixedDelay(
        () -> finalizeWhileTheOperatorRuns(ns, finalized), 0, 100, TimeUnit.MILLISECONDS);
    try {
      Instant deleted = Instant.now();
      // One request for the whole set, as kubectl delete orderedreleases --all sends.
      releases().inNamespace(ns).delete();
      awaitGone(ns, "op", Duration.ofMinutes(3));

      List<Entry> deletes = plane.audit().operatorDeletes(deleted);
      Entry appConfig = AuditLog.deleteOf(deletes, "configmaps", "app-settings");
      Entry appWeb = AuditLog.deleteOf(deletes, "deployments", "app-web");
      Entry alpha = AuditLog.deleteOf(deletes, "gadgets", "crs-alpha");
      Entry beta = AuditLog.deleteOf(deletes, "gadgets", "crs-beta");
      Entry controller = AuditLog.deleteOf(deletes, "deployments", "op-controller");
      assertThat(appConfig.completedAt())
          .as("app before the custom resources: %s", deletes)
          .isBefore(alpha.completedAt())
          .isBefore(beta.completedAt());
      assertThat(appWeb.completedAt()).isBefore(alpha.completedAt());
      assertThat(alpha.completedAt())
          .as("the custom resources before the operator")
          .isBefore(controller.completedAt());
      assertThat(beta.completedAt()).isBefore(controller.completedAt());
      assertThat(finalized).as("each Gadget's finalizer removed by its operator").hasSize(2);
      assertThat(finalized).allSatisfy(at -> assertThat(at).isBefore(controller.completedAt()));
      assertThat(admin.genericKubernetesResources(GADGETS).inNamespace(ns).list().getItems())
          .as("no custom resource left stuck")
          .isEmpty();
      assertThat(releases().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(admin.v1().events().inNamespace(ns).list().getItems())
          .anyMatch(
              e ->
                  "WaitingForDependents".equals(e.getReason())
                      && "op".equals(e.getInvolvedObject().getName())
                      && e.getMessage().contains(ns + "/crs"));
    } finally {
      gadgetOperator.shutdownNow();
      gadgetOperator.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * What the gadget operator's pod would do: remove the finalizer of each Gadget being deleted, but
   * only while its Deployment exists and is not being deleted itself.
   */
  private void finalizeWhileTheOperatorRuns(String ns, List<Instant> finalized) {
    try {
      var controller = admin.apps().deployments().inNamespace(ns).withName("op-controller").get();
      if (controller == null || controller.getMetadata().getDeletionTimestamp() != null) {
        return;
      }
      for (GenericKubernetesResource gadget :
          admin.genericKubernetesResources(GADGETS).inNamespace(ns).list().getItems()) {
        boolean held =
            gadget.getMetadata().getFinalizers() != null
                && gadget.getMetadata().getFinalizers().contains(FINALIZER);
        if (gadget.getMetadata().getDeletionTimestamp() != null && held) {
          admin
              .genericKubernetesResources(GADGETS)
              .inNamespace(ns)
              .withName(gadget.getMetadata().getName())
              .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
          finalized.add(Instant.now());
        }
      }
    } catch (KubernetesClientException e) {
      // Gone meanwhile, or a conflict: the next round sees the current state.
    }
  }

  private void create(String ns, String name, String chart, String dependsOn) {
    OrderedRelease release = new OrderedRelease();
    release.getMetadata().setNamespace(ns);
    release.getMetadata().setName(name);
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath(CHARTS.resolve(chart).toString()));
    if (dependsOn != null) {
      spec.setDependsOn(List.of(new DependencyReference(dependsOn, null)));
    }
    release.setSpec(spec);
    releases().inNamespace(ns).resource(release).create();
  }
}
