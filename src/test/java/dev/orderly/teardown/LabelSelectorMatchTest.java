package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spec.uninstall.daemonSets selectors matched against the DaemonSet cache as the API server would
 * match them in a list.
 */
class LabelSelectorMatchTest {
  private static final Map<String, String> NODE_AGENT = Map.of("tier", "node", "team", "infra");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no selector", null, true),
        Arguments.of("matchLabels met", selector().addToMatchLabels("tier", "node").build(), true),
        Arguments.of(
            "matchLabels unmet", selector().addToMatchLabels("tier", "web").build(), false),
        Arguments.of(
            "matchLabels absent key", selector().addToMatchLabels("x", "y").build(), false),
        Arguments.of("In met", expression("tier", "In", "node", "edge"), true),
        Arguments.of("In unmet", expression("tier", "In", "web"), false),
        Arguments.of("In absent key", expression("zone", "In", "a"), false),
        Arguments.of("NotIn met", expression("tier", "NotIn", "web"), true),
        Arguments.of("NotIn unmet", expression("tier", "NotIn", "node"), false),
        Arguments.of("NotIn absent key", expression("zone", "NotIn", "a"), true),
        Arguments.of("Exists met", expression("team", "Exists"), true),
        Arguments.of("Exists unmet", expression("zone", "Exists"), false),
        Arguments.of("DoesNotExist met", expression("zone", "DoesNotExist"), true),
        Arguments.of("DoesNotExist unmet", expression("team", "DoesNotExist"), false),
        Arguments.of("unknown operator", expression("tier", "Gt", "1"), false),
        Arguments.of(
            "labels and expressions together",
            selector()
                .addToMatchLabels("team", "infra")
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("In")
                .withValues("web")
                .endMatchExpression()
                .build(),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void selects(String what, LabelSelector selector, boolean selected) {
    assertThat(DaemonSetSelection.selects(selector, NODE_AGENT)).isEqualTo(selected);
  }

  private static LabelSelectorBuilder selector() {
    return new LabelSelectorBuilder();
  }

  private static LabelSelector expression(String key, String operator, String... values) {
    return selector()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(operator)
        .withValues(values)
        .endMatchExpression()
        .build();
  }
}
