package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ManifestObjects;
import dev.orderly.helm.ReleaseFixtures;
import dev.orderly.helm.ReleaseObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TeardownPlannerTest {
  private static final String NS = "apps";

  /** A release with one object of most kinds, deliberately in an unhelpful order. */
  private static final String MIXED_MANIFEST =
      """
      ---
      # Source: c/templates/rbac.yaml
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: sa}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: cr, namespace: ignored}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: role}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: crb}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: rb, namespace: elsewhere}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: cm}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: svc}
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        annotations: {helm.sh/resource-policy: keep}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      ---
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: nightly}
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: agent}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      ---
      apiVersion: example.com/v1
      kind: Widget
      metadata: {name: w}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw}
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata: {name: hook}
      ---
      apiVersion: apiregistration.k8s.io/v1
      kind: APIService
      metadata: {name: v1beta1.metrics.example.dev}
      """;

  @Test
  void plansTheFixtureRelease() {
    TeardownPlan plan = TeardownPlanner.plan(ReleaseFixtures.sampleRelease(), null);

    assertThat(plan.releaseName()).isEqualTo("sample");
    assertThat(plan.releaseNamespace()).isEqualTo("samples");
    assertThat(plan.revision()).isEqualTo(1);
    assertThat(plan.steps())
        .extracting(TeardownPlannerTest::line)
        .containsExactly(
            "PreDeleteHooks RunHook v1 ServiceAccount samples/sample-hook w=-2"
                + " [before-hook-creation]",
            "PreDeleteHooks RunHook batch/v1 Job samples/sample-pre-delete w=-1 [hook-succeeded]",
            "DaemonSets Delete apps/v1 DaemonSet samples/sample-ds",
            "ConfigAndNetwork Delete v1 ConfigMap samples/sample-config",
            "Release RemoveRelease helm.sh/release.v1 Release samples/sample",
            "PostDeleteHooks RunHook v1 ConfigMap samples/sample-post-delete-marker w=0"
                + " [before-hook-creation]");
  }

  @Test
  void ordersObjectsByPhaseThenRank() {
    TeardownPlan plan = plan(ManifestObjects.parse(MIXED_MANIFEST), List.of(), options());

    assertThat(plan.steps())
        .extracting(TeardownPlannerTest::line)
        .containsExactly(
            "CustomResources Delete gateway.networking.k8s.io/v1 Gateway apps/gw",
            "CustomResources Delete example.com/v1 Widget apps/w",
            "Admission Delete apiregistration.k8s.io/v1 APIService -/v1beta1.metrics.example.dev",
            "Admission Delete admissionregistration.k8s.io/v1"
                + " ValidatingWebhookConfiguration -/hook",
            "DaemonSets Delete apps/v1 DaemonSet apps/agent",
            "Workloads Delete batch/v1 CronJob apps/nightly",
            "Workloads Delete apps/v1 Deployment apps/web",
            "ConfigAndNetwork Delete v1 Service apps/svc",
            "ConfigAndNetwork Keep v1 PersistentVolumeClaim apps/data",
            "ConfigAndNetwork Delete v1 ConfigMap apps/cm",
            "Rbac Delete rbac.authorization.k8s.io/v1 RoleBinding elsewhere/rb",
            "Rbac Delete rbac.authorization.k8s.io/v1 ClusterRoleBinding -/crb",
            "Rbac Delete rbac.authorization.k8s.io/v1 Role apps/role",
            "Rbac Delete rbac.authorization.k8s.io/v1 ClusterRole -/cr",
            "Rbac Delete v1 ServiceAccount apps/sa",
            "Release RemoveRelease helm.sh/release.v1 Release apps/rel",
            "Release Keep apiextensions.k8s.io/v1 CustomResourceDefinition -/widgets.example.com");
  }

  @Test
  void theReleasesNamespacesGoLastAfterThePostDeleteHooksThatRunInThem() {
    List<ReleaseObject> objects =
        ManifestObjects.parse(
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: workspace}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm, namespace: workspace}
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: urgent}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: sa, namespace: workspace}
            """);
    HelmHook cleanup =
        new HelmHook(
            "cleanup",
            "Job",
            "t.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: cleanup, namespace: workspace}\n",
            List.of("post-delete"),
            0,
            List.of());

    TeardownPlan plan = plan(objects, List.of(cleanup), options());

    assertThat(plan.steps())
        .extracting(TeardownPlannerTest::line)
        .containsExactly(
            "ConfigAndNetwork Delete v1 ConfigMap workspace/cm",
            "ConfigAndNetwork Delete scheduling.k8s.io/v1 PriorityClass -/urgent",
            "Rbac Delete v1 ServiceAccount workspace/sa",
            "Release RemoveRelease helm.sh/release.v1 Release apps/rel",
            "PostDeleteHooks RunHook batch/v1 Job workspace/cleanup w=0 [before-hook-creation]",
            "Namespaces Delete v1 Namespace -/workspace");
  }

  @Test
  void aHugeHookWeightRunsLastAndIsPersistedWhole() {
    List<HelmHook> hooks =
        List.of(
            preDelete("Job", "huge", 3_000_000_000L, "kind: Job\nmetadata: {name: huge}\n"),
            preDelete("Job", "one", 1, "kind: Job\nmetadata: {name: one}\n"));

    List<TeardownStep> steps = plan(List.of(), hooks, options()).initialSteps();

    assertThat(steps)
        .filteredOn(TeardownStep::isHook)
        .extracting(TeardownStep::getName, TeardownStep::getWeight)
        .containsExactly(tuple("one", 1L), tuple("huge", 3_000_000_000L));
  }

  @Test
  void disableHooksLeavesBothHookPhasesEmpty() {
    UninstallOptions options = options();
    options.setDisableHooks(true);

    TeardownPlan plan = TeardownPlanner.plan(ReleaseFixtures.sampleRelease(), options);

    assertThat(plan.stepsIn(TeardownPhase.PreDeleteHooks)).isEmpty();
    assertThat(plan.stepsIn(TeardownPhase.PostDeleteHooks)).isEmpty();
    assertThat(plan.steps())
        .extracting(PlannedStep::name)
        .containsExactly("sample-ds", "sample-config", "sample");
  }

  static Stream<Arguments> hookEvents() {
    return Stream.of(
        Arguments.of(List.of("pre-delete", "post-delete"), true, true),
        Arguments.of(List.of("post-install", "pre-delete"), true, false),
        Arguments.of(List.of("post-install", "post-delete"), false, true),
        Arguments.of(List.of("post-install", "pre-upgrade"), false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hookEvents")
  void aHookAppearsOnceForEachDeleteEventItHas(List<String> events, boolean pre, boolean post) {
    HelmHook hook = new HelmHook("h", "Job", "t.yaml", jobManifest("h"), events, 0, List.of());

    TeardownPlan plan = plan(List.of(), List.of(hook), options());

    assertThat(plan.stepsIn(TeardownPhase.PreDeleteHooks)).hasSize(pre ? 1 : 0);
    assertThat(plan.stepsIn(TeardownPhase.PostDeleteHooks)).hasSize(post ? 1 : 0);
  }

  @Test
  void preDeleteHooksRunInHookOrder() {
    List<HelmHook> hooks =
        List.of(
            preDelete("Job", "a-job", 0, jobManifest("a-job")),
            preDelete(
                "ServiceAccount",
                "z-sa",
                0,
                "apiVersion: v1\nkind: ServiceAccount\n"
                    + "metadata: {name: z-sa, namespace: hooks}"),
            preDelete("Job", "first", -10, jobManifest("first")));

    TeardownPlan plan = plan(List.of(), hooks, options());

    assertThat(plan.stepsIn(TeardownPhase.PreDeleteHooks))
        .extracting(s -> s.kind() + " " + s.namespace() + "/" + s.name())
        .containsExactly("Job apps/first", "ServiceAccount hooks/z-sa", "Job apps/a-job");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        // apiVersion, kind, namespace in manifest, planned namespace
        "v1, ConfigMap, null, apps",
        "v1, ConfigMap, other, other",
        "example.com/v1, Widget, null, apps",
        "example.com/v1, Widget, other, other",
        "v1, Namespace, null, null",
        "rbac.authorization.k8s.io/v1, ClusterRole, other, null",
        "storage.k8s.io/v1, StorageClass, null, null",
        "admissionregistration.k8s.io/v1, MutatingWebhookConfiguration, x, null",
      })
  void defaultsNamespacesByScope(String apiVersion, String kind, String ns, String expected) {
    TeardownPlan plan = plan(List.of(ReleaseObject.of(apiVersion, kind, ns, "o")), List.of(), null);

    assertThat(plan.steps())
        .filteredOn(step -> step.name().equals("o"))
        .singleElement()
        .extracting(PlannedStep::namespace)
        .isEqualTo(expected);
  }

  @Test
  void theSameObjectTwiceIsPlannedOnce() {
    ReleaseObject cm = ReleaseObject.of("v1", "ConfigMap", null, "cm");
    ReleaseObject sameExplicit = ReleaseObject.of("v1", "ConfigMap", NS, "cm");

    assertThat(
            plan(List.of(cm, sameExplicit), List.of(), null)
                .stepsIn(TeardownPhase.ConfigAndNetwork))
        .hasSize(1);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {"false, null", "true, 'keepHistory: Helm''s record is kept and marked uninstalled'"})
  void releaseStepSaysWhetherHistoryIsKept(boolean keepHistory, String reason) {
    UninstallOptions options = options();
    options.setKeepHistory(keepHistory);

    assertThat(plan(List.of(), List.of(), options).stepsIn(TeardownPhase.Release))
        .singleElement()
        .extracting(PlannedStep::action, PlannedStep::reason)
        .containsExactly(PlannedStep.Action.RemoveRelease, reason);
  }

  @Test
  void initialStepsArePendingExceptKeptOnes() {
    HelmReleaseRecord record = ReleaseFixtures.sampleRelease();
    String manifest =
        record.manifest()
            + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: keep-me\n"
            + "  annotations: {helm.sh/resource-policy: keep}\n";
    HelmReleaseRecord withKept =
        new HelmReleaseRecord(
            record.name(),
            record.namespace(),
            record.version(),
            record.status(),
            record.chartName(),
            record.chartVersion(),
            manifest,
            record.hooks());

    List<TeardownStep> steps = TeardownPlanner.plan(withKept, options()).initialSteps();

    assertThat(steps)
        .extracting(s -> s.getName() + ":" + s.getState() + ":" + s.getWeight())
        .containsExactly(
            "sample-hook:Pending:-2",
            "sample-pre-delete:Pending:-1",
            "sample-ds:Pending:null",
            "sample-config:Pending:null",
            "keep-me:Skipped:null",
            "sample:Pending:null",
            "sample-post-delete-marker:Pending:0");
    assertThat(steps.get(4).getMessage()).isEqualTo(TeardownPlanner.KEEP_REASON);
    // Hooks carry what is needed to run them after Helm's record is gone.
    assertThat(steps.get(0).getDeletePolicies()).containsExactly("before-hook-creation");
    assertThat(steps.get(1).getDeletePolicies()).containsExactly("hook-succeeded");
    assertThat(steps.get(1).getManifest())
        .contains("kind: Job")
        .contains("name: sample-pre-delete");
    assertThat(steps.get(2).getManifest()).isNull();
    assertThat(steps.get(2).getDeletePolicies()).isNull();
    steps.add(new TeardownStep()); // the operator may extend the list it persists
  }

  @Test
  void planIsAPlainJsonValue() throws Exception {
    ObjectMapper json = new ObjectMapper();
    TeardownPlan plan = TeardownPlanner.plan(ReleaseFixtures.sampleRelease(), options());

    String text = json.writeValueAsString(plan);

    assertThat(json.readValue(text, TeardownPlan.class)).isEqualTo(plan);
    assertThat(text).doesNotContain("\"reason\":null").contains("\"action\":\"RunHook\"");
  }

  @Test
  void anUnreadableHookManifestNamesTheHook() {
    HelmHook broken = preDelete("Job", "bad", 0, "kind: [unclosed");

    assertThatThrownBy(() -> plan(List.of(), List.of(broken), options()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hook Job bad");
  }

  private static TeardownPlan plan(
      List<ReleaseObject> objects, List<HelmHook> hooks, UninstallOptions options) {
    return TeardownPlanner.plan("rel", NS, 3, objects, hooks, options);
  }

  private static UninstallOptions options() {
    return new UninstallOptions();
  }

  private static HelmHook preDelete(String kind, String name, long weight, String manifest) {
    return new HelmHook(name, kind, "t.yaml", manifest, List.of("pre-delete"), weight, List.of());
  }

  private static String jobManifest(String name) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " + name + "\n";
  }

  private static String line(PlannedStep step) {
    String where = (step.namespace() == null ? "-" : step.namespace()) + "/" + step.name();
    String hook = step.weight() == null ? "" : " w=" + step.weight() + " " + step.deletePolicies();
    return step.phase()
        + " "
        + step.action()
        + " "
        + step.apiVersion()
        + " "
        + step.kind()
        + " "
        + where
        + hook;
  }
}
