package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.testsupport.ApiRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A custom resource of a cluster-scoped kind, whose CRD came from crds/ and so is not in Helm's
 * record, is planned and deleted without a namespace: the operator asks the cluster's discovery.
 */
class ClusterScopedTeardownIntegrationTest {
  private static final Path CHART =
      Path.of("src/test/resources/charts/cluster-scoped-crs").toAbsolutePath();

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aClusterScopedCustomResourceIsDeletedWithoutANamespace() {
    // The test API server, like Helm, cannot create an instance with its CRD from templates/.
    scenario.installChart(
        CHART,
        r -> r.getSpec().setValues(Releases.json("{\"sprockets\": false, \"widgets\": false}")));
    var gizmos = scenario.harness.client().genericKubernetesResources("example.com/v1", "Gizmo");
    GenericKubernetesResource gizmo = gizmos.withName(NAME + "-gizmo").get();
    assertThat(gizmo).isNotNull();
    scenario.hold(gizmo);

    scenario.delete();
    OrderedRelease tearingDown =
        scenario.awaitRelease(r -> phase(r, TeardownPhase.CustomResources));

    assertThat(scenario.steps(tearingDown))
        .filteredOn(step -> "Gizmo".equals(step.getKind()))
        .extracting(TeardownStep::getName, TeardownStep::getNamespace)
        .containsExactly(tuple(NAME + "-gizmo", null));
    scenario.release(gizmo);
    scenario.awaitGone();

    assertThat(gizmos.withName(NAME + "-gizmo").get()).isNull();
    assertThat(scenario.requests())
        .filteredOn(r -> r.method().equals("DELETE") && r.path().contains(NAME + "-gizmo"))
        .extracting(ApiRequest::path)
        .isNotEmpty()
        .allMatch(path -> path.startsWith("/apis/example.com/v1/gizmos/" + NAME + "-gizmo"));
  }
}
