package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.kube.ServiceAccountIdentity;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who a release acts as, and which namespaces its spec may name, by the operator's flags. */
class TenancyPolicyTest {

  static Stream<Arguments> identities() {
    return Stream.of(
        Arguments.of("named, no default", "deployer", null, Optional.of("apps/deployer")),
        Arguments.of(
            "named beats the default", "deployer", "default", Optional.of("apps/deployer")),
        Arguments.of(
            "none named: the default (lockdown)", null, "default", Optional.of("apps/default")),
        Arguments.of("blank counts as none", " ", "locked", Optional.of("apps/locked")),
        Arguments.of("neither: the operator itself", null, null, Optional.empty()),
        Arguments.of("neither, blank default", null, "", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("identities")
  void aReleaseActsAsItsAccountElseTheDefaultAlwaysInItsOwnNamespace(
      String description, String named, String fallback, Optional<String> expected) {
    OrderedRelease release = SpecValidatorTest.valid();
    release.getSpec().setServiceAccountName(named);
    // The target namespace never moves the identity: it is the object's namespace's account.
    release.getSpec().setTargetNamespace("elsewhere");

    Optional<ServiceAccountIdentity> identity = ServiceAccountIdentity.of(release, fallback);

    assertThat(identity.map(i -> i.namespace() + "/" + i.name())).isEqualTo(expected);
    identity.ifPresent(
        i ->
            assertThat(i.username())
                .isEqualTo("system:serviceaccount:" + i.namespace() + ":" + i.name()));
  }

  @Test
  void crossNamespaceReferencesAreRefusedOnlyWhenTheFlagSaysSo() {
    OrderedRelease release = SpecValidatorTest.valid();
    release.getSpec().setTargetNamespace("kube-system");
    release
        .getSpec()
        .getUninstall()
        .getDaemonSets()
        .add(
            new DaemonSetSelector(
                "kube-system",
                new LabelSelectorBuilder().addToMatchLabels("k8s-app", "x").build()));
    release
        .getSpec()
        .getUninstall()
        .getDaemonSets()
        .add(
            new DaemonSetSelector(
                "apps", new LabelSelectorBuilder().addToMatchLabels("app", "y").build()));

    release
        .getSpec()
        .setDependsOn(
            List.of(
                new DependencyReference("db", null),
                new DependencyReference("platform", "shared")));
    assertThat(TenancyPolicy.NONE.crossNamespaceProblems(release)).isEmpty();
    assertThat(new TenancyPolicy(null, true).crossNamespaceProblems(release))
        .containsExactly(
            "spec.targetNamespace kube-system is outside this object's namespace apps, and this"
                + " operator refuses cross-namespace references (--no-cross-namespace-refs):"
                + " remove it, or create the OrderedRelease in kube-system",
            "spec.dependsOn[1].namespace shared is outside this object's namespace apps, and"
                + " this operator refuses cross-namespace references (--no-cross-namespace-refs):"
                + " depend only on OrderedReleases of apps",
            "spec.uninstall.daemonSets[0].namespace kube-system is outside this object's"
                + " namespace apps, and this operator refuses cross-namespace references"
                + " (--no-cross-namespace-refs): remove the namespace to select in apps");
  }

  @Test
  void aTeardownIsRefusedForTheTargetNamespaceAndTheDaemonSetNamespacesButNotForDependsOn() {
    OrderedRelease release = SpecValidatorTest.valid();
    release.getSpec().setDependsOn(List.of(new DependencyReference("platform", "shared")));
    TenancyPolicy lockdown = new TenancyPolicy(null, true);
    assertThat(lockdown.teardownProblems(release))
        .as("dependsOn is only read from the informer's cache")
        .isEmpty();

    release.getSpec().setTargetNamespace("kube-system");
    // Naming no namespace, this selector looks in targetNamespace: refused with it.
    release
        .getSpec()
        .getUninstall()
        .getDaemonSets()
        .add(
            new DaemonSetSelector(
                null, new LabelSelectorBuilder().addToMatchLabels("app", "y").build()));
    assertThat(lockdown.teardownProblems(release))
        .singleElement()
        .asString()
        .startsWith(
            "spec.targetNamespace (and every uninstall.daemonSets selector naming no namespace)"
                + " kube-system is outside this object's namespace apps");
    assertThat(TenancyPolicy.NONE.teardownProblems(release)).isEmpty();

    release.getSpec().setTargetNamespace(null);
    release
        .getSpec()
        .getUninstall()
        .getDaemonSets()
        .add(
            new DaemonSetSelector(
                "monitoring", new LabelSelectorBuilder().addToMatchLabels("app", "z").build()));
    assertThat(lockdown.teardownProblems(release))
        .singleElement()
        .asString()
        .startsWith("spec.uninstall.daemonSets[1].namespace monitoring is outside");
  }

  @Test
  void theOwnNamespaceNamedOutrightIsNoCrossReference() {
    OrderedRelease release = SpecValidatorTest.valid();
    release.getSpec().setTargetNamespace("apps");
    release
        .getSpec()
        .getUninstall()
        .getDaemonSets()
        .add(
            new DaemonSetSelector(
                "apps", new LabelSelectorBuilder().addToMatchLabels("app", "y").build()));
    assertThat(new TenancyPolicy("default", true).crossNamespaceProblems(release)).isEmpty();
  }
}
