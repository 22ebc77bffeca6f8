package dev.orderly.chart;

import static dev.orderly.chart.HelmHookAnnotations.HOOK;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_DELETE_POLICY;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_OUTPUT_LOG_POLICY;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_WEIGHT;
import static dev.orderly.chart.HelmHookAnnotations.RESOURCE_POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HookValidatorTest {

  private static final String ALL_EVENTS =
      "one of: pre-install, post-install, pre-delete, post-delete, pre-upgrade, post-upgrade,"
          + " pre-rollback, post-rollback, test";
  private static final String ALL_DELETE_POLICIES =
      "one of: before-hook-creation, hook-succeeded, hook-failed";

  private static final String KEEP_OR_REMOVE =
      "keep, or remove the annotation if the object should be deleted";

  private final HookValidator validator = new HookValidator();

  static Stream<Arguments> invalidAnnotations() {
    return Stream.of(
        // annotation, value, reported token, suggested fix
        arguments(HOOK, "pre-uninstall", "pre-uninstall", "pre-delete"),
        arguments(HOOK, "post-uninstall", "post-uninstall", "post-delete"),
        arguments(HOOK, "crd-install", "crd-install", HookValidator.CRD_FIX),
        arguments(HOOK, "pre-delet", "pre-delet", "pre-delete"),
        arguments(HOOK, "post-instal", "post-instal", "post-install"),
        arguments(HOOK, "pre_delete", "pre_delete", "pre-delete"),
        arguments(HOOK, "PreDelete", "PreDelete", "pre-delete"),
        arguments(HOOK, "PRE_ROLLBACK", "PRE_ROLLBACK", "pre-rollback"),
        arguments(HOOK, "pre-update", "pre-update", "pre-upgrade"),
        arguments(HOOK, "test-failure", "test-failure", "test"),
        arguments(HOOK, "teardown", "teardown", ALL_EVENTS),
        arguments(HOOK, "", "", ALL_EVENTS),
        arguments(HOOK, "  ", "  ", ALL_EVENTS),
        arguments(HOOK, "pre-delete,", "", "remove the extra comma"),
        arguments(HOOK, "pre-delete, pre-uninstall", " pre-uninstall", "pre-delete"),
        arguments(HOOK_DELETE_POLICY, "hook-succeded", "hook-succeded", "hook-succeeded"),
        arguments(HOOK_DELETE_POLICY, "hook_failed", "hook_failed", "hook-failed"),
        arguments(
            HOOK_DELETE_POLICY, "BeforeHookCreation", "BeforeHookCreation", "before-hook-creation"),
        arguments(HOOK_DELETE_POLICY, "hook-success", "hook-success", "hook-succeeded"),
        arguments(HOOK_DELETE_POLICY, "never", "never", ALL_DELETE_POLICIES),
        arguments(
            HOOK_DELETE_POLICY, "", "", "remove the annotation or name " + ALL_DELETE_POLICIES),
        arguments(HOOK_WEIGHT, "1.5", "1.5", HookValidator.WEIGHT_FIX),
        arguments(HOOK_WEIGHT, "high", "high", HookValidator.WEIGHT_FIX),
        arguments(HOOK_WEIGHT, "", "", HookValidator.WEIGHT_FIX),
        arguments(HOOK_WEIGHT, "1_000", "1_000", HookValidator.WEIGHT_FIX),
        arguments(
            HOOK_WEIGHT, "99999999999999999999", "99999999999999999999", HookValidator.WEIGHT_FIX),
        arguments(HOOK_WEIGHT, " -1", " -1", "-1"),
        arguments(HOOK_OUTPUT_LOG_POLICY, "hook-succeed", "hook-succeed", "hook-succeeded"),
        // Anything but exactly keep: uninstall keeps the object, an upgrade that drops it not.
        arguments(RESOURCE_POLICY, "kepp", "kepp", "keep"),
        arguments(RESOURCE_POLICY, "keeep", "keeep", "keep"),
        arguments(RESOURCE_POLICY, "Keep", "Keep", "keep"),
        arguments(RESOURCE_POLICY, " keep", " keep", "keep"),
        arguments(RESOURCE_POLICY, "KEEP ", "KEEP ", "keep"),
        arguments(RESOURCE_POLICY, "delete", "delete", KEEP_OR_REMOVE),
        arguments(RESOURCE_POLICY, "", "", KEEP_OR_REMOVE),
        arguments("helm.sh/hooks", "pre-delete", "helm.sh/hooks", HOOK),
        arguments("helm.sh/hook-weigth", "1", "helm.sh/hook-weigth", HOOK_WEIGHT),
        // Keys are case-sensitive in Helm; the API server accepts them in any case.
        arguments("Helm.sh/hook", "pre-delete", "Helm.sh/hook", HOOK),
        arguments("HELM.SH/HOOK", "pre-delete", "HELM.SH/HOOK", HOOK),
        arguments("helm.sh/Hook-Weight", "1", "helm.sh/Hook-Weight", HOOK_WEIGHT),
        arguments(
            "helm.sh/hook-Delete-Policy",
            "hook-succeeded",
            "helm.sh/hook-Delete-Policy",
            HOOK_DELETE_POLICY),
        arguments(
            "Helm.sh/hook-output-log-policy",
            "hook-failed",
            "Helm.sh/hook-output-log-policy",
            HOOK_OUTPUT_LOG_POLICY),
        arguments("Helm.sh/resource-policy", "keep", "Helm.sh/resource-policy", RESOURCE_POLICY),
        arguments("Helm.sh/hooks", "pre-delete", "Helm.sh/hooks", HOOK),
        arguments(
            "helm.sh/hook_delete_policy",
            "hook-failed",
            "helm.sh/hook_delete_policy",
            HOOK_DELETE_POLICY));
  }

  @ParameterizedTest(name = "{0}: \"{1}\" -> {3}")
  @MethodSource("invalidAnnotations")
  void reportsOneFindingWithAFix(String annotation, String value, String token, String fix) {
    RenderedObject object = hookWith(annotation, value);

    assertThat(validator.validate(object))
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.annotation()).isEqualTo(annotation);
              assertThat(finding.token()).isEqualTo(token);
              assertThat(finding.suggestedFix()).isEqualTo(fix);
              assertThat(finding.sourcePath()).isEqualTo("app/templates/hook.yaml");
              assertThat(finding.kind()).isEqualTo("Job");
              assertThat(finding.name()).isEqualTo("cleanup");
            });
  }

  static Stream<Arguments> validAnnotations() {
    return Stream.of(
        // Helm trims and lower-cases events and policies before looking them up.
        arguments(HOOK, "pre-delete"),
        arguments(HOOK, "post-install,post-delete"),
        arguments(HOOK, " pre-delete , Post-Delete "),
        arguments(HOOK, "test-success"),
        arguments(HOOK, "test"),
        arguments(
            HOOK,
            "pre-install,post-install,pre-upgrade,post-upgrade,pre-rollback,"
                + "post-rollback,pre-delete,post-delete"),
        arguments(HOOK_WEIGHT, "-1"),
        arguments(HOOK_WEIGHT, "+5"),
        arguments(HOOK_WEIGHT, "007"),
        arguments(HOOK_WEIGHT, "-9223372036854775808"),
        arguments(HOOK_WEIGHT, "3000000000"),
        arguments(HOOK_DELETE_POLICY, "before-hook-creation,hook-succeeded"),
        arguments(HOOK_DELETE_POLICY, "Hook-Failed"),
        // An empty entry beside a valid policy changes nothing in Helm.
        arguments(HOOK_DELETE_POLICY, "hook-succeeded,"),
        arguments(HOOK_OUTPUT_LOG_POLICY, "hook-succeeded,hook-failed"),
        arguments(RESOURCE_POLICY, "keep"),
        arguments("helm.sh/chart", "app-1.0.0"),
        arguments("example.com/hook", "anything"));
  }

  @ParameterizedTest(name = "{0}: \"{1}\"")
  @MethodSource("validAnnotations")
  void acceptsWhatHelmAccepts(String annotation, String value) {
    assertThat(validator.validate(hookWith(annotation, value))).isEmpty();
  }

  @Test
  void reportsEveryBadTokenOfOneAnnotationInWrittenOrder() {
    RenderedObject object = object("Job", "cleanup", Map.of(HOOK, "pre-uninstall,post-uninstal"));

    assertThat(validator.validate(object))
        .extracting(HookFinding::token, HookFinding::suggestedFix)
        .containsExactly(
            tuple("pre-uninstall", "pre-delete"), tuple("post-uninstal", "post-delete"));
  }

  @Test
  void explainsWhatHelmDoesWithEachMistake() {
    assertThat(validator.validate(hookWith(HOOK, "pre-uninstall")))
        .singleElement()
        .extracting(HookFinding::message)
        .asString()
        .contains("unknown hook event \"pre-uninstall\"", "skips this resource entirely");
    assertThat(validator.validate(hookWith(HOOK_WEIGHT, "high")))
        .singleElement()
        .extracting(HookFinding::message)
        .asString()
        .contains("silently uses 0");
    assertThat(validator.validate(hookWith(HOOK_WEIGHT, "9223372036854775808")))
        .singleElement()
        .extracting(HookFinding::message)
        .asString()
        .contains("does not fit in Go's 64-bit int", "silently uses 0");
    assertThat(validator.validate(hookWith(HOOK_DELETE_POLICY, "hook-succeded")))
        .singleElement()
        .extracting(HookFinding::message)
        .asString()
        .contains("ignores it", "default before-hook-creation is lost");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("resourcePolicyConsequences")
  void explainsWhatHelmDoesWithAResourcePolicy(String value, String consequence) {
    assertThat(
            validator.validate(
                object("PersistentVolumeClaim", "data", Map.of(RESOURCE_POLICY, value))))
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.message()).contains(consequence, "upgrade");
              assertThat(finding.affectsInstall())
                  .as("Helm installs the object as written, so the operator does not refuse it")
                  .isFalse();
            });
  }

  static Stream<Arguments> resourcePolicyConsequences() {
    return Stream.of(
        arguments("kepp", "uninstall still keeps the object"),
        arguments("", "uninstall still keeps the object"),
        arguments("Keep", "is read as keep on uninstall"));
  }

  static Stream<Arguments> keysInTheWrongCase() {
    return Stream.of(
        arguments("Helm.sh/hook", "Helm reads \"helm.sh/hook\"", "the object is not a hook"),
        arguments("helm.sh/Hook-Weight", "Helm reads \"helm.sh/hook-weight\"", "uses weight 0"),
        arguments(
            "helm.sh/Hook-Delete-Policy",
            "Helm reads \"helm.sh/hook-delete-policy\"",
            "default delete policy, before-hook-creation"),
        arguments(
            "Helm.sh/resource-policy",
            "Helm reads \"helm.sh/resource-policy\"",
            "uninstall deletes it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysInTheWrongCase")
  void saysWhatHelmDoesWhenAKeyIsInTheWrongCase(String key, String reads, String consequence) {
    assertThat(validator.validate(hookWith(key, "x")))
        .singleElement()
        .satisfies(
            finding ->
                assertThat(finding.message())
                    .startsWith("annotation keys are case-sensitive: ")
                    .contains(reads, "ignores \"" + key + "\"", consequence));
  }

  @Test
  void aResourcePolicyKeyInTheWrongCaseDoesNotAffectTheInstall() {
    assertThat(validator.validate(object("Secret", "s", Map.of("Helm.sh/resource-policy", "keep"))))
        .singleElement()
        .satisfies(finding -> assertThat(finding.affectsInstall()).isFalse());
  }

  @Test
  void hookFindingsAffectTheInstall() {
    assertThat(validator.validate(hookWith(HOOK, "pre-uninstall")))
        .singleElement()
        .satisfies(finding -> assertThat(finding.affectsInstall()).isTrue());
  }

  @Test
  void ordersFindingsByFileKindNameAndAnnotation() {
    List<RenderedObject> objects =
        List.of(
            object("b.yaml", "Job", "z", Map.of(HOOK, "pre-uninstall", HOOK_WEIGHT, "x")),
            object("a.yaml", "Job", "y", Map.of(HOOK, "crd-install")),
            object("b.yaml", "ConfigMap", "z", Map.of(HOOK, "post-uninstall")),
            object("b.yaml", "Job", "a", Map.of(HOOK_DELETE_POLICY, "hook-succeded")));

    assertThat(validator.validate(objects))
        .extracting(f -> f.sourcePath() + " " + f.kind() + "/" + f.name() + " " + f.annotation())
        .containsExactly(
            "a.yaml Job/y helm.sh/hook",
            "b.yaml ConfigMap/z helm.sh/hook",
            "b.yaml Job/a helm.sh/hook-delete-policy",
            "b.yaml Job/z helm.sh/hook",
            "b.yaml Job/z helm.sh/hook-weight");
  }

  @Test
  void checksTheObjectsOfARenderedChart() {
    RenderedChart chart =
        new RenderedChart(
            "app",
            "1.0.0",
            List.of(hookWith(HOOK, "pre-uninstall"), hookWith(HOOK, "test")),
            List.of());

    assertThat(validator.validate(chart))
        .extracting(HookFinding::token)
        .containsExactly("pre-uninstall");
  }

  /** A Job carrying a valid hook plus the annotation under test (or only it, for the hook key). */
  private static RenderedObject hookWith(String annotation, String value) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (!annotation.equals(HOOK)) {
      annotations.put(HOOK, "pre-delete");
    }
    annotations.put(annotation, value);
    return object("Job", "cleanup", annotations);
  }

  private static RenderedObject object(String kind, String name, Map<String, String> annotations) {
    return object("app/templates/hook.yaml", kind, name, annotations);
  }

  private static RenderedObject object(
      String source, String kind, String name, Map<String, String> annotations) {
    return new RenderedObject("v1", kind, "", name, Map.of(), annotations, source, Map.of());
  }
}
