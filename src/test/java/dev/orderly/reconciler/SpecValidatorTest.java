package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.UninstallOptions;
import dev.orderly.api.ValuesReference;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {
  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(
            "Background propagation, stored under an earlier CRD",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.getUninstall()
                        .setDeletionPropagation(UninstallOptions.Propagation.Background),
            "deletionPropagation Background is not supported"),
        Arguments.of(
            "Orphan propagation, stored under an earlier CRD",
            (Consumer<OrderedReleaseSpec>)
                s -> s.getUninstall().setDeletionPropagation(UninstallOptions.Propagation.Orphan),
            "deletionPropagation Orphan is not supported"),
        Arguments.of(
            "no chart",
            (Consumer<OrderedReleaseSpec>) s -> s.setChart(null),
            "spec.chart is missing"),
        Arguments.of(
            "no source",
            (Consumer<OrderedReleaseSpec>) s -> s.setChart(new ChartSource()),
            "spec.chart has no source"),
        Arguments.of(
            "two sources",
            (Consumer<OrderedReleaseSpec>)
                s -> s.getChart().setRepository("https://charts.example.com"),
            "spec.chart has two sources"),
        Arguments.of(
            "repository without version",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setChart(ChartSource.fromRepository("https://c.example.com", "agent", null)),
            "needs chart.name and chart.version"),
        Arguments.of(
            "repository not http",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setChart(ChartSource.fromRepository("oci://registry/x", "agent", "1.0.0")),
            "must be an http:// or https:// URL"),
        Arguments.of(
            "values a list",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setValues(JsonNodeFactory.instance.arrayNode().add(1)),
            "spec.values must be a map of values"),
        Arguments.of(
            "valuesFrom without name",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.setValuesFrom(
                        List.of(new ValuesReference(ValuesReference.Kind.ConfigMap, null, null))),
            "spec.valuesFrom[0] needs a kind"),
        Arguments.of(
            "bad release name",
            (Consumer<OrderedReleaseSpec>) s -> s.setReleaseName("Agent_1"),
            "release name 'Agent_1' is not valid"),
        Arguments.of(
            "bad timeout",
            (Consumer<OrderedReleaseSpec>) s -> s.getUninstall().setHookTimeout("5 minutes"),
            "spec.uninstall.hookTimeout: '5 minutes' is not a duration"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void namesTheExactProblem(String name, Consumer<OrderedReleaseSpec> breakIt, String expected) {
    OrderedRelease resource = valid();
    breakIt.accept(resource.getSpec());
    assertThat(SpecValidator.problems(resource)).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void aValidSpecHasNoProblem() {
    assertThat(SpecValidator.problems(valid())).isEmpty();
    OrderedRelease fromRepository = valid();
    fromRepository
        .getSpec()
        .setChart(ChartSource.fromRepository("https://charts.example.com", "agent", "1.2.3"));
    assertThat(SpecValidator.problems(fromRepository)).isEmpty();
  }

  static OrderedRelease valid() {
    OrderedRelease resource = new OrderedRelease();
    resource.setMetadata(new ObjectMetaBuilder().withName("agent").withNamespace("apps").build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath("/charts/agent"));
    resource.setSpec(spec);
    return resource;
  }
}
