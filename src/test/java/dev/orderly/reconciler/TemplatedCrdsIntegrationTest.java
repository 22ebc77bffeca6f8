package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.deletes;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions.CrdPolicy;
import dev.orderly.teardown.TeardownPlanner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CRDs rendered from templates/ are not deleted as a side effect of removing Helm's record: they
 * stay by default, go after the record with {@code crds: Delete}, and stay with the keep policy.
 */
class TemplatedCrdsIntegrationTest {
  private static final Path CHART = Path.of("charts/examples/templated-crds").toAbsolutePath();
  private static final String GIZMOS = "gizmos.example.com";
  private static final String DOOHICKEYS = "doohickeys.example.com";

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void byDefaultEveryTemplatedCrdAndTheCustomResourcesOfOthersSurvive() {
    scenario.installChart(CHART, r -> {});
    GenericKubernetesResource othersGizmo = gizmoOfAnotherRelease();
    Deployment controller =
        scenario
            .harness
            .client()
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("agent-controller")
            .get();
    scenario.hold(controller);

    scenario.delete();
    List<TeardownStep> steps =
        scenario.steps(scenario.awaitRelease(r -> phase(r, TeardownPhase.Workloads)));
    assertThat(steps)
        .filteredOn(s -> "CustomResourceDefinition".equals(s.getKind()))
        .extracting(TeardownStep::getName, TeardownStep::getState, TeardownStep::getMessage)
        .as("status says what happens to each CRD")
        .containsExactly(
            tuple(GIZMOS, TeardownStep.State.Skipped, TeardownPlanner.CRD_KEPT_REASON),
            tuple(DOOHICKEYS, TeardownStep.State.Skipped, TeardownPlanner.KEEP_REASON));
    scenario.release(controller);
    scenario.awaitGone();

    assertThat(crd(GIZMOS)).isNotNull();
    assertThat(crd(DOOHICKEYS)).isNotNull();
    assertThat(deletes(scenario.requests(), p -> p.contains("/customresourcedefinitions/")))
        .as("no CRD delete was sent, by Orderly or by Helm")
        .isEmpty();
    assertThat(gizmos().withName(othersGizmo.getMetadata().getName()).get()).isNotNull();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1"))
        .as("Helm's record is gone")
        .isFalse();
    assertThat(scenario.exists("Deployment", "agent-controller")).isFalse();
  }

  @Test
  void withCrdsDeleteATemplatedCrdGoesAfterHelmsRecordAndAKeptOneStays() {
    scenario.installChart(CHART, r -> r.getSpec().getUninstall().setCrds(CrdPolicy.Delete));

    scenario.delete();
    scenario.awaitGone();

    assertThat(crd(GIZMOS)).isNull();
    assertThat(crd(DOOHICKEYS)).as("helm.sh/resource-policy: keep").isNotNull();
    var journal = scenario.requests();
    assertThat(deletes(journal, p -> p.contains("/customresourcedefinitions/")))
        .extracting(r -> r.path().replaceAll("\\?.*", ""))
        .containsExactly("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + GIZMOS);
    assertThat(firstDelete(journal, "/customresourcedefinitions/" + GIZMOS))
        .as("after Helm's record and every other object")
        .isGreaterThan(firstDelete(journal, "/secrets/sh.helm.release.v1.agent.v1"))
        .isGreaterThan(firstDelete(journal, "/serviceaccounts/agent-controller"));
  }

  private GenericKubernetesResource gizmoOfAnotherRelease() {
    return gizmos()
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("example.com/v1")
                .withKind("Gizmo")
                .withNewMetadata()
                .withName("someone-elses")
                .withNamespace(NS)
                .endMetadata()
                .build())
        .create();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      gizmos() {
    return scenario
        .harness
        .client()
        .genericKubernetesResources("example.com/v1", "Gizmo")
        .inNamespace(NS);
  }

  private Object crd(String name) {
    return scenario
        .harness
        .client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(name)
        .get();
  }
}
