package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderly.api.UninstallOptions;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cluster-scoped custom resources are planned, and so deleted, without a namespace. */
class ClusterScopedPlanTest {

  private static final String GIZMO_CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: gizmos.example.com}
      spec:
        group: example.com
        scope: Cluster
        names: {kind: Gizmo, plural: gizmos}
      """;

  private static final String INSTANCES =
      """
      apiVersion: example.com/v1
      kind: Gizmo
      metadata: {name: g, namespace: ignored}
      ---
      apiVersion: fleet.example.com/v1
      kind: Fleet
      metadata: {name: f}
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w}
      """;

  private static HelmReleaseRecord record(String manifest, List<HelmHook> hooks) {
    return new HelmReleaseRecord("rel", "apps", 1, "deployed", "c", "1.0.0", manifest, hooks);
  }

  private static List<String> customResources(TeardownPlan plan) {
    return plan.steps().stream()
        .filter(s -> s.phase() == dev.orderly.api.TeardownPhase.CustomResources)
        .map(s -> s.kind() + " " + (s.namespace() == null ? "-" : s.namespace()) + "/" + s.name())
        .toList();
  }

  @Test
  void aCrdInTheRecordScopesItsInstances() {
    TeardownPlan plan =
        TeardownPlanner.plan(record(GIZMO_CRD + "---\n" + INSTANCES, List.of()), null);

    assertThat(customResources(plan)).containsExactly("Fleet apps/f", "Gizmo -/g", "Widget apps/w");
  }

  @Test
  void theClustersDiscoveryScopesTheRest() {
    TeardownPlan plan =
        TeardownPlanner.plan(
            record(INSTANCES, List.of()),
            new UninstallOptions(),
            ResourceScopes.of(List.of("fleet.example.com/Fleet", "example.com/Gizmo")));

    assertThat(customResources(plan)).containsExactly("Fleet -/f", "Gizmo -/g", "Widget apps/w");
    assertThat(plan.initialSteps())
        .filteredOn(step -> step.getKind().equals("Gizmo"))
        .extracting(step -> step.getNamespace())
        .containsOnlyNulls();
  }

  @Test
  void hooksOfClusterScopedKindsRunAndStayWithoutANamespace() {
    HelmHook preDelete =
        new HelmHook(
            "drain",
            "Gizmo",
            "c/templates/hooks.yaml",
            "apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: drain}\n",
            List.of("pre-delete"),
            0,
            List.of("hook-succeeded"));
    HelmHook postInstall =
        new HelmHook(
            "marker",
            "Gizmo",
            "c/templates/hooks.yaml",
            "apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: marker}\n",
            List.of("post-install"),
            0,
            List.of());

    ChartPlan plan =
        ChartPlan.fromRelease(
            record(GIZMO_CRD, List.of(preDelete, postInstall)), new UninstallOptions());

    assertThat(plan.plan().steps())
        .filteredOn(step -> step.kind().equals("Gizmo"))
        .extracting(PlannedStep::name, PlannedStep::namespace)
        .containsExactly(tuple("drain", null));
    assertThat(plan.leftInPlace())
        .filteredOn(left -> left.kind().equals("Gizmo"))
        .extracting(LeftInPlace::name, LeftInPlace::namespace)
        .containsExactly(tuple("marker", null));
  }
}
