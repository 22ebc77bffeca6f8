package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.helm.HelmHook;
import dev.orderly.helm.ReleaseFixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HookOrderTest {
  /** Hooks written "Kind/name@weight". */
  static Stream<Arguments> orders() {
    return Stream.of(
        Arguments.of(
            "ServiceAccount before Job at equal weight, whatever the names",
            List.of("Job/a-job@0", "ServiceAccount/z-sa@0"),
            List.of("z-sa", "a-job")),
        Arguments.of(
            "weight beats kind",
            List.of("ServiceAccount/sa@1", "Job/job@-1"),
            List.of("job", "sa")),
        Arguments.of(
            "negative weights ascend",
            List.of("Job/zero@0", "Job/minus-one@-1", "Job/three@3", "Job/minus-five@-5"),
            List.of("minus-five", "minus-one", "zero", "three")),
        Arguments.of(
            "same weight and kind: by name",
            List.of("Job/b@0", "Job/c@0", "Job/a@0"),
            List.of("a", "b", "c")),
        Arguments.of(
            "Helm's install order across kinds",
            List.of(
                "Job/j@0",
                "Deployment/d@0",
                "Service/s@0",
                "RoleBinding/rb@0",
                "Role/r@0",
                "ClusterRole/cr@0",
                "ConfigMap/cm@0",
                "Secret/sec@0",
                "ServiceAccount/sa@0",
                "Namespace/ns@0",
                "PriorityClass/pc@0"),
            List.of("pc", "ns", "sa", "sec", "cm", "cr", "r", "rb", "s", "d", "j")),
        Arguments.of(
            "unknown kinds come last, alphabetically by kind, then by name",
            List.of("Zeta/a@0", "Alpha/b@0", "APIService/api@0", "Alpha/a@0", "Pod/p@0"),
            List.of("p", "api", "a", "b", "a")),
        Arguments.of(
            "weights are 64-bit: nothing wraps around past 32 bits",
            List.of(
                "Job/huge@3000000000",
                "Job/one@1",
                "Job/very-negative@-3000000000",
                "Job/max@9223372036854775807",
                "Job/int-max@2147483647"),
            List.of("very-negative", "one", "int-max", "huge", "max")),
        Arguments.of(
            "an unknown kind with a lower weight still goes first",
            List.of("ServiceAccount/sa@0", "Widget/w@-1"),
            List.of("w", "sa")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orders")
  void sortsByWeightThenKindThenName(String description, List<String> hooks, List<String> names) {
    List<HelmHook> input = hooks.stream().map(HookOrderTest::hook).toList();
    List<HelmHook> reversed = new ArrayList<>(input);
    Collections.reverse(reversed);

    assertThat(HookOrder.sort(input)).extracting(HelmHook::name).containsExactlyElementsOf(names);
    // The order depends on the hooks alone, not on how they arrive.
    assertThat(HookOrder.sort(reversed)).isEqualTo(HookOrder.sort(input));
  }

  @Test
  void unknownKindsKeepKindOrderOverName() {
    List<HelmHook> sorted = HookOrder.sort(List.of(hook("Zeta/a@0"), hook("Alpha/z@0")));

    assertThat(sorted).extracting(HelmHook::kind).containsExactly("Alpha", "Zeta");
  }

  @ParameterizedTest
  @CsvSource({
    "PriorityClass, 0",
    "Namespace, 1",
    "ServiceAccount, 7",
    "Job, 31",
    "APIService, 35",
    "Widget, 36",
  })
  void ranksKindsByHelmsInstallOrder(String kind, int rank) {
    assertThat(HookOrder.kindRank(kind)).isEqualTo(rank);
    assertThat(HookOrder.INSTALL_ORDER).hasSize(36);
  }

  @ParameterizedTest
  @CsvSource({
    "pre-delete, 'sample-hook,sample-pre-delete'",
    "post-delete, sample-post-delete-marker",
    "post-install, sample-post-delete-marker",
    "pre-upgrade, ''",
  })
  void selectsTheFixturesHooksPerEvent(String event, String names) {
    List<String> expected = names.isEmpty() ? List.of() : List.of(names.split(","));

    assertThat(HookOrder.forEvent(ReleaseFixtures.sampleRelease().hooks(), event))
        .extracting(HelmHook::name)
        .containsExactlyElementsOf(expected);
  }

  private static HelmHook hook(String spec) {
    String kind = spec.substring(0, spec.indexOf('/'));
    String name = spec.substring(spec.indexOf('/') + 1, spec.indexOf('@'));
    long weight = Long.parseLong(spec.substring(spec.indexOf('@') + 1));
    return new HelmHook(name, kind, "t.yaml", "", List.of("pre-delete"), weight, List.of());
  }
}
