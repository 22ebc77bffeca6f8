package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions;
import dev.orderly.api.UninstallOptions.CrdPolicy;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.ManifestObjects;
import dev.orderly.helm.ReleaseObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What the plan keeps and why: resource policies, as Helm reads them, and CRDs. */
class TeardownPlannerKeepTest {
  private static final String MIXED =
      """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        annotations: {helm.sh/resource-policy: keep}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cm}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      """;

  static Stream<Arguments> templatedCrds() {
    String kept = "annotations: {helm.sh/resource-policy: keep}";
    return Stream.of(
        // crds policy, the CRD's extra metadata, action, reason
        Arguments.of(null, "", "Keep", TeardownPlanner.CRD_KEPT_REASON),
        Arguments.of(CrdPolicy.Keep, "", "Keep", TeardownPlanner.CRD_KEPT_REASON),
        Arguments.of(CrdPolicy.Delete, "", "Delete", TeardownPlanner.CRD_DELETE_REASON),
        Arguments.of(CrdPolicy.Delete, kept, "Keep", TeardownPlanner.KEEP_REASON),
        Arguments.of(CrdPolicy.Keep, kept, "Keep", TeardownPlanner.KEEP_REASON));
  }

  @ParameterizedTest(name = "crds: {0}, {1}")
  @MethodSource("templatedCrds")
  void aTemplatedCrdIsKeptUnlessTheSpecSaysDeleteAndThenGoesAfterTheRecord(
      CrdPolicy crds, String metadata, String action, String reason) {
    UninstallOptions options = options();
    options.setCrds(crds);
    String manifest =
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            + "metadata: {name: widgets.example.com"
            + (metadata.isEmpty() ? "" : ", " + metadata)
            + "}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n";

    TeardownPlan plan = plan(ManifestObjects.parse(manifest), List.of(), options);

    assertThat(plan.steps())
        .extracting(s -> s.phase() + " " + s.action() + " " + s.kind())
        .containsExactly(
            "CustomResources Delete Widget",
            "Release RemoveRelease Release",
            "Release " + action + " CustomResourceDefinition");
    assertThat(plan.steps().get(2).reason()).isEqualTo(reason);
    assertThat(plan.initialSteps().get(2).getMessage())
        .as("status says what happens to the CRD")
        .isEqualTo(reason);
  }

  @Test
  void keptObjectsAreListedWithTheirReasonAndNeverDeleted() {
    TeardownPlan plan = plan(ManifestObjects.parse(MIXED), List.of(), options());

    assertThat(plan.kept())
        .extracting(PlannedStep::name, PlannedStep::reason)
        .containsExactlyInAnyOrder(
            tuple("widgets.example.com", TeardownPlanner.CRD_KEPT_REASON),
            tuple("data", TeardownPlanner.KEEP_REASON));
    assertThat(plan.steps())
        .filteredOn(PlannedStep::deletes)
        .extracting(PlannedStep::name)
        .doesNotContain("widgets.example.com", "data");
  }

  @ParameterizedTest(name = "keep policy on {1}")
  @CsvSource({
    "example.com/v1, Widget, CustomResources",
    "apps/v1, DaemonSet, DaemonSets",
    "apps/v1, Deployment, Workloads",
    "v1, Secret, ConfigAndNetwork",
    "rbac.authorization.k8s.io/v1, ClusterRole, Rbac",
    "v1, ServiceAccount, Rbac",
    "admissionregistration.k8s.io/v1, ValidatingWebhookConfiguration, Admission",
  })
  void keepPolicyHoldsInEveryPhase(String apiVersion, String kind, TeardownPhase phase) {
    ReleaseObject kept =
        ReleaseObject.of(apiVersion, kind, null, "x")
            .withAnnotation("helm.sh/resource-policy", "keep");

    TeardownPlan plan = plan(List.of(kept), List.of(), options());

    assertThat(plan.stepsIn(phase))
        .singleElement()
        .satisfies(
            step -> {
              assertThat(step.action()).isEqualTo(PlannedStep.Action.Keep);
              assertThat(step.toTeardownStep().getState()).isEqualTo(TeardownStep.State.Skipped);
              assertThat(step.toTeardownStep().getMessage()).isEqualTo(TeardownPlanner.KEEP_REASON);
            });
  }

  @ParameterizedTest(name = "resource policy \"{0}\"")
  @CsvSource({
    "kepp, 'helm.sh/resource-policy: \"kepp\" (Helm keeps an object with this annotation whatever"
        + " its value)'",
    "Keep, 'helm.sh/resource-policy: \"Keep\" (Helm keeps an object with this annotation whatever"
        + " its value)'",
    "'', 'helm.sh/resource-policy: \"\" (Helm keeps an object with this annotation whatever its"
        + " value)'",
    "keep, 'helm.sh/resource-policy: keep'",
  })
  void anyResourcePolicyValueKeepsTheObjectAsHelmDoes(String value, String reason) {
    ReleaseObject pvc =
        ReleaseObject.of("v1", "PersistentVolumeClaim", null, "data")
            .withAnnotation("helm.sh/resource-policy", value);

    TeardownPlan plan = plan(List.of(pvc), List.of(), options());

    assertThat(plan.kept())
        .singleElement()
        .satisfies(
            step -> {
              assertThat(step.name()).isEqualTo("data");
              assertThat(step.reason()).isEqualTo(reason);
            });
    assertThat(plan.steps()).noneMatch(PlannedStep::deletes);
  }

  private static TeardownPlan plan(
      List<ReleaseObject> objects, List<HelmHook> hooks, UninstallOptions options) {
    return TeardownPlanner.plan("rel", "apps", 3, objects, hooks, options);
  }

  private static UninstallOptions options() {
    return new UninstallOptions();
  }
}
