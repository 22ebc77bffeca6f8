package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad spec stalls with a named reason and a Warning Event, and installs nothing. */
class BadSpecIntegrationTest {
  private static final String NS = "bad";

  private OperatorHarness harness;
  // Rolls the chart's workloads out, so installs become Ready as on a cluster.
  private ClusterSimulator simulator;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
    simulator = new ClusterSimulator(harness.client(), 2).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
    harness.close();
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of(
            "no chart source",
            (Consumer<OrderedRelease>) r -> r.getSpec().setChart(new ChartSource()),
            "InvalidSpec",
            "spec.chart has no source"),
        Arguments.of(
            "two chart sources",
            (Consumer<OrderedRelease>)
                r -> r.getSpec().getChart().setRepository("https://charts.example.com"),
            "InvalidSpec",
            "spec.chart has two sources"),
        Arguments.of(
            "chart path missing",
            (Consumer<OrderedRelease>)
                r -> r.getSpec().setChart(ChartSource.fromPath("/charts/not-there")),
            "ChartNotFound",
            "chart path /charts/not-there does not exist"),
        Arguments.of(
            "repository unreachable",
            (Consumer<OrderedRelease>)
                r ->
                    r.getSpec()
                        .setChart(
                            ChartSource.fromRepository("http://127.0.0.1:9", "agent", "1.0.0")),
            "RepositoryUnavailable",
            "chart repository http://127.0.0.1:9 is unavailable"),
        Arguments.of(
            "values break the templates",
            (Consumer<OrderedRelease>)
                r -> r.getSpec().setValues(Releases.json("{\"controller\": \"oops\"}")),
            "RenderFailed",
            "the chart does not render"),
        Arguments.of(
            "valuesFrom names a missing ConfigMap",
            (Consumer<OrderedRelease>)
                r ->
                    r.getSpec()
                        .setValuesFrom(
                            List.of(
                                new ValuesReference(
                                    ValuesReference.Kind.ConfigMap, "agent-values", null))),
            "ValuesNotFound",
            "ConfigMap bad/agent-values does not exist"),
        Arguments.of(
            "a hook with an unknown event",
            (Consumer<OrderedRelease>)
                r -> r.getSpec().setChart(ChartSource.fromPath(chart("uninstall-typo"))),
            "InvalidHooks",
            "pre-uninstall"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void stallsWithTheReasonAndInstallsNothing(
      String description, Consumer<OrderedRelease> breakIt, String reason, String message) {
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    breakIt.accept(release);
    harness.create(release);

    OrderedRelease stalled =
        harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Stalled", "True", reason));

    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains(message)
        .as("Helm's command-line advice has no place in a condition")
        .doesNotContainIgnoringCase("--debug");
    assertThat(hasCondition(stalled, "Ready", "False", reason)).isTrue();
    assertThat(stalled.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);
    assertThat(harness.events(NS, "agent"))
        .filteredOn(e -> e.getType().equals("Warning"))
        .extracting(Event::getReason)
        .containsExactly(reason);
    assertThat(
            harness.client().secrets().inNamespace(NS).withLabel("owner", "helm").list().getItems())
        .as("no Helm release was created")
        .isEmpty();
    assertThat(harness.client().apps().daemonSets().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aMissingValuesReferenceInstallsAsSoonAsItAppears() {
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    release
        .getSpec()
        .setValuesFrom(
            List.of(new ValuesReference(ValuesReference.Kind.ConfigMap, "agent-values", null)));
    harness.create(release);
    harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Stalled", "True", "ValuesNotFound"));

    harness
        .client()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName("agent-values")
                .endMetadata()
                .withData(Map.of("values.yaml", "logLevel: warn\n"))
                .build())
        .create();

    harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(
            harness.client().configMaps().inNamespace(NS).withName("agent-config").get().getData())
        .containsEntry("logLevel", "warn");
  }

  @Test
  void invalidHooksMayBeAllowedAndStayReported() {
    OrderedRelease release = Releases.ofChart(NS, "agent", Path.of(chart("uninstall-typo")));
    release.getSpec().getInstall().setAllowInvalidHooks(true);
    harness.create(release);

    OrderedRelease ready =
        harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Ready", "True", null));
    assertThat(hasCondition(ready, "HooksValid", "False", "InvalidHooksAllowed")).isTrue();
    assertThat(OperatorHarness.condition(ready, "HooksValid").orElseThrow().getMessage())
        .contains("pre-uninstall")
        .contains("pre-delete");
    assertThat(harness.client().configMaps().inNamespace(NS).withName("agent-settings").get())
        .isNotNull();
    assertThat(harness.client().configMaps().inNamespace(NS).withName("agent-cleanup").get())
        .as("Helm drops the resource with the unknown hook, as the finding warned")
        .isNull();
  }

  private static String chart(String name) {
    return Path.of("src/test/resources/charts", name).toAbsolutePath().toString();
  }
}
