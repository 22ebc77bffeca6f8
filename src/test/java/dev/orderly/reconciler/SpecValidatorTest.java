package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.orderly.api.ChartSource;
import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.SecretReference;
import dev.orderly.api.UninstallOptions;
import dev.orderly.api.ValuesReference;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
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
            "http chart name with ../",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.setChart(
                        ChartSource.fromRepository("https://c.example.com", "../../etc", "1.0.0")),
            "spec.chart name '../../etc' contains a path separator (/ or \\): give a chart name"),
        Arguments.of(
            "http chart version with ..",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setChart(ChartSource.fromRepository("https://c.example.com", "agent", "..")),
            "spec.chart version '..' contains '..': give a version such as 1.2.3"),
        Arguments.of(
            "chart version with a control character",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.setChart(
                        ChartSource.fromRepository("https://c.example.com", "agent", "1.0\n0")),
            "spec.chart version '1.0 0' contains a control character"),
        Arguments.of(
            "chart name too long",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.setChart(
                        ChartSource.fromRepository(
                            "https://c.example.com", "a".repeat(129), "1.0.0")),
            "is longer than 128 characters"),
        Arguments.of(
            "oci chart version with a path",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.setChart(
                        ChartSource.fromRepository("oci://ghcr.io/charts", "agent", "1.0/../x")),
            "spec.chart version '1.0/../x' contains a path separator"),
        Arguments.of(
            "repository neither http nor oci",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setChart(ChartSource.fromRepository("ftp://registry/x", "agent", "1.0.0")),
            "must be an http://, https:// or oci:// URL"),
        Arguments.of(
            "oci path with a parent segment",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setChart(ChartSource.fromRepository("oci://reg.io/a/../b", "agent", "1")),
            "has a path part '..' that OCI does not allow"),
        Arguments.of(
            "oci chart name with a slash",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setChart(ChartSource.fromRepository("oci://reg.io/charts", "a/b", "1.0.0")),
            "chart name 'a/b' is not a valid OCI repository name"),
        Arguments.of(
            "oci version neither tag nor range",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.setChart(ChartSource.fromRepository("oci://reg.io/charts", "agent", ">=one")),
            "spec.chart.version '>=one' is neither a version nor a constraint"),
        Arguments.of(
            "digest on an http repository",
            (Consumer<OrderedReleaseSpec>)
                s -> {
                  s.setChart(ChartSource.fromRepository("https://c.example.com", "agent", "1.0.0"));
                  s.getChart().setDigest("sha256:" + "a".repeat(64));
                },
            "spec.chart.digest pins an OCI artifact"),
        Arguments.of(
            "malformed digest",
            (Consumer<OrderedReleaseSpec>)
                s -> {
                  s.setChart(ChartSource.fromRepository("oci://reg.io/charts", "agent", "1.0.0"));
                  s.getChart().setDigest("sha256:ABC");
                },
            "spec.chart.digest 'sha256:ABC' must be sha256: and 64 lowercase hex digits"),
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
            "spec.uninstall.hookTimeout: '5 minutes' is not a duration"),
        Arguments.of(
            "bad dependents timeout",
            (Consumer<OrderedReleaseSpec>) s -> s.getUninstall().setDependentsTimeout("soon"),
            "spec.uninstall.dependentsTimeout: 'soon' is not a duration"),
        Arguments.of(
            "dependsOn without a name",
            (Consumer<OrderedReleaseSpec>)
                s -> s.setDependsOn(List.of(new dev.orderly.api.DependencyReference(" ", "x"))),
            "spec.dependsOn[0] needs the name of an OrderedRelease"),
        Arguments.of(
            "a DaemonSet selector without a selector",
            (Consumer<OrderedReleaseSpec>)
                s -> s.getUninstall().getDaemonSets().add(new DaemonSetSelector("apps", null)),
            "spec.uninstall.daemonSets[0].selector is empty, which would select every DaemonSet"),
        Arguments.of(
            "an empty DaemonSet selector",
            (Consumer<OrderedReleaseSpec>)
                s ->
                    s.getUninstall()
                        .getDaemonSets()
                        .add(new DaemonSetSelector(null, new LabelSelector())),
            "spec.uninstall.daemonSets[0].selector is empty"),
        Arguments.of(
            "a ServiceAccount name that is not one",
            (Consumer<OrderedReleaseSpec>) s -> s.setServiceAccountName("system:masters"),
            "spec.serviceAccountName 'system:masters' is not a ServiceAccount name"));
  }

  @Test
  void aDaemonSetSelectorWithLabelsOrExpressionsAndAServiceAccountAreValid() {
    OrderedRelease resource = valid();
    resource.getSpec().setServiceAccountName("deployer");
    resource
        .getSpec()
        .getUninstall()
        .getDaemonSets()
        .addAll(
            List.of(
                new DaemonSetSelector(
                    null, new LabelSelectorBuilder().addToMatchLabels("app", "agent").build()),
                new DaemonSetSelector(
                    "apps",
                    new LabelSelectorBuilder()
                        .addNewMatchExpression()
                        .withKey("app")
                        .withOperator("Exists")
                        .endMatchExpression()
                        .build())));
    assertThat(SpecValidator.problems(resource)).isEmpty();
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
    for (String version : List.of("0.1.0", "latest", "^1.2", ">=1.0.0 <2.0.0", "1.x || 2.0.0")) {
      OrderedRelease fromRegistry = valid();
      ChartSource chart =
          ChartSource.fromRepository("oci://127.0.0.1:5000/charts", "agent", version);
      chart.setDigest("sha256:" + "0f".repeat(32));
      chart.setSecretRef(new SecretReference("registry"));
      chart.setInsecure(true);
      fromRegistry.getSpec().setChart(chart);
      assertThat(SpecValidator.problems(fromRegistry)).as(version).isEmpty();
    }
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
