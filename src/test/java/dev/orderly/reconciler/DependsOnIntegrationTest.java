package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.api.ValuesReference;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.dependsOn wired through the real operator: installs wait for Ready dependencies and are
 * woken by them, teardowns wait for their dependents to be gone, and the escape hatches, the
 * timeout, cycles and missing dependencies are reported as the conditions promise.
 */
class DependsOnIntegrationTest {
  private static final Path CHART =
      Path.of("src/test/resources/charts/settings-only").toAbsolutePath();
  private static final String NS = "deps";

  private MutableClock clock;
  private OperatorHarness harness;

  @BeforeEach
  void start() {
    clock = MutableClock.startingNow();
    harness = OperatorHarness.start(clock);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void anInstallWaitsForItsDependencyToBeReadyAndIsWokenByIt() {
    create(NS, "op", r -> r.getSpec().setSuspend(true));
    create(NS, "app", dependsOn("op", null));
    OrderedRelease waiting =
        harness.awaitRelease(
            NS, "app", r -> hasCondition(r, "Ready", "False", "DependencyNotReady"));
    assertThat(OperatorHarness.condition(waiting, "Ready").orElseThrow().getMessage())
        .isEqualTo("waiting for the dependency deps/op to be Ready before installing");
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Waiting");
    assertThat(hasCondition(waiting, "Stalled", "True", null)).isFalse();
    assertThat(reasons(NS, "app")).containsExactly("DependencyNotReady");
    assertThat(harness.client().configMaps().inNamespace(NS).list().getItems()).isEmpty();

    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName("op")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");
    awaitReady(NS, "op");
    awaitReady(NS, "app");
    assertThat(index(post("op-settings"))).isLessThan(index(post("app-settings")));
  }

  @Test
  void installingASetAtOnceInstallsTheRootFirst() {
    create(NS, "app", dependsOn("crs", null));
    create(NS, "crs", dependsOn("op", null));
    create(NS, "op", r -> {});
    awaitReady(NS, "app");
    assertThat(index(post("op-settings")))
        .isLessThan(index(post("crs-settings")))
        .isLessThan(index(post("app-settings")));
  }

  @Test
  void aMissingDependencyIsStalledUntilItIsCreated() {
    create(NS, "app", dependsOn("op", null));
    OrderedRelease stalled =
        harness.awaitRelease(
            NS, "app", r -> hasCondition(r, "Stalled", "True", "DependencyNotFound"));
    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("deps/op")
        .contains("create it or remove it from spec.dependsOn");
    assertThat(hasCondition(stalled, "Ready", "False", "DependencyNotFound")).isTrue();
    assertThat(warnings(NS, "app"))
        .extracting(Event::getReason)
        .containsExactly("DependencyNotFound");

    create(NS, "op", r -> {});
    awaitReady(NS, "app");
  }

  @Test
  void aCycleIsStalledOnEveryReleaseOnItAndNothingIsInstalled() {
    create(NS, "a", dependsOn("b", null));
    create(NS, "b", dependsOn("a", null));
    OrderedRelease a =
        harness.awaitRelease(NS, "a", r -> hasCondition(r, "Stalled", "True", "DependencyCycle"));
    harness.awaitRelease(NS, "b", r -> hasCondition(r, "Stalled", "True", "DependencyCycle"));
    assertThat(OperatorHarness.condition(a, "Stalled").orElseThrow().getMessage())
        .contains("deps/a → deps/b → deps/a");
    assertThat(harness.client().configMaps().inNamespace(NS).list().getItems()).isEmpty();

    // Neither was ever installed: there is nothing their dependents could need, so deleting the
    // cycle removes both at once, without the force annotation.
    harness.client().resources(OrderedRelease.class).inNamespace(NS).delete();
    awaitGone(NS, "a");
    awaitGone(NS, "b");
    assertThat(reasons(NS, "a")).contains("NothingToTearDown");
  }

  @Test
  void anInstalledCycleWaitsOnDeletionUntilOneIsLetGo() {
    create(NS, "a", r -> {});
    create(NS, "b", dependsOn("a", null));
    awaitReady(NS, "b");
    // dependsOn is not deployed: a stays Ready with the cycle, and its deletion says it.
    patchSpec(NS, "a", "{\"dependsOn\":[{\"name\":\"b\"}]}");
    awaitObserved(NS, "a", 2);
    harness.client().resources(OrderedRelease.class).inNamespace(NS).delete();
    harness.awaitRelease(
        NS, "a", r -> hasCondition(r, "TearingDown", "True", "DependencyCycle") && stalledOn(r));
    annotate(NS, "a", "orderly.dev/force", "true");
    awaitGone(NS, "a");
    awaitGone(NS, "b");
  }

  @Test
  void aDependencyInAnotherNamespaceIsWaitedForAndWaitsForItsDependent() {
    create("infra", "op", r -> {});
    create(NS, "app", dependsOn("op", "infra"));
    awaitReady(NS, "app");
    assertThat(index(post("op-settings"))).isLessThan(index(post("app-settings")));

    delete("infra", "op");
    OrderedRelease waiting =
        harness.awaitRelease(
            "infra", "op", r -> hasCondition(r, "TearingDown", "True", "WaitingForDependents"));
    assertThat(OperatorHarness.condition(waiting, "TearingDown").orElseThrow().getMessage())
        .contains("deps/app");
    delete(NS, "app");
    awaitGone(NS, "app");
    awaitGone("infra", "op");
  }

  @Test
  void aDependencyDeletedAloneWaitsWhileItsDependentStaysAndSaysSo() {
    installChain();
    delete(NS, "op");
    OrderedRelease waiting =
        harness.awaitRelease(
            NS, "op", r -> hasCondition(r, "TearingDown", "True", "WaitingForDependents"));
    assertThat(OperatorHarness.condition(waiting, "TearingDown").orElseThrow().getMessage())
        .isEqualTo(
            "waiting for the dependent OrderedRelease deps/crs to be deleted first"
                + " (uninstall.dependentsTimeout 30m)");
    assertThat(waiting.getStatus().getDependentsWaitStartedAt()).isNotNull();
    assertThat(waiting.getStatus().getTeardown()).as("nothing planned yet").isNull();
    assertThat(waiting.getStatus().getPhase()).isEqualTo("TearingDown:WaitingForDependents");
    assertThat(hasCondition(waiting, "Stalled", "True", null)).isFalse();
    assertThat(harness.events(NS, "op"))
        .filteredOn(e -> "WaitingForDependents".equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("deps/crs"));
    assertThat(configMap("op-settings")).as("nothing of it is deleted").isTrue();
    assertThat(harness.get(NS, "crs").isMarkedForDeletion()).isFalse();

    // The dependent goes; the wait ends the moment it is gone, and the root goes last.
    delete(NS, "app");
    delete(NS, "crs");
    awaitGone(NS, "op");
    assertThat(index(delete("app-settings")))
        .isLessThan(index(delete("crs-settings")))
        .isLessThan(index(delete("op-settings")));
  }

  @Test
  void deletingASetAtOnceTearsItDownLeavesFirstAndUnrelatedOnesInParallel() {
    installChain();
    create(NS, "other", r -> {});
    awaitReady(NS, "other");
    harness.client().resources(OrderedRelease.class).inNamespace(NS).delete();
    awaitGone(NS, "op");
    awaitGone(NS, "other");
    assertThat(index(delete("app-settings")))
        .isLessThan(index(delete("crs-settings")))
        .isLessThan(index(delete("op-settings")));
    assertThat(index(delete("other-settings")))
        .as("a release nothing depends on does not wait for the chain")
        .isLessThan(index(delete("op-settings")));
  }

  @Test
  void theForceAnnotationLetsADependencyGoWithoutWaiting() {
    installChain();
    delete(NS, "crs");
    harness.awaitRelease(
        NS, "crs", r -> hasCondition(r, "TearingDown", "True", "WaitingForDependents"));
    annotate(NS, "crs", "orderly.dev/force", "true");
    awaitGone(NS, "crs");
    assertThat(harness.events(NS, "crs"))
        .filteredOn(e -> "Forced".equals(e.getReason()))
        .filteredOn(e -> e.getMessage().startsWith("not waiting for"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("deps/app").contains("orderly.dev/force");
            });
    assertThat(harness.get(NS, "app")).as("the dependent stays").isNotNull();
  }

  @Test
  void waitForDependentsFalseLetsADependencyGoWithoutWaiting() {
    create(NS, "op", r -> r.getSpec().getUninstall().setWaitForDependents(false));
    create(NS, "app", dependsOn("op", null));
    awaitReady(NS, "app");
    delete(NS, "op");
    awaitGone(NS, "op");
    assertThat(harness.get(NS, "app")).isNotNull();
  }

  @Test
  void theWaitTimesOutOnItsOwnTimeoutAndFollowsOnTimeout() {
    create(NS, "op", r -> r.getSpec().getUninstall().setDependentsTimeout("1m"));
    create(
        NS,
        "lib",
        r -> {
          r.getSpec().getUninstall().setDependentsTimeout("1m");
          r.getSpec().getUninstall().setOnTimeout(OnTimeout.Continue);
        });
    create(NS, "app", r -> r.getSpec().setDependsOn(List.of(ref("op", null), ref("lib", null))));
    awaitReady(NS, "app");
    delete(NS, "op");
    delete(NS, "lib");
    harness.awaitRelease(
        NS, "op", r -> hasCondition(r, "TearingDown", "True", "WaitingForDependents"));
    String since = harness.get(NS, "op").getStatus().getDependentsWaitStartedAt();

    // A restart keeps the wait's start: the timeout counts from the first look.
    harness.stopOperator();
    clock.advance(Duration.ofMinutes(2));
    harness.startOperator();

    OrderedRelease failed =
        harness.awaitRelease(
            NS, "op", r -> hasCondition(r, "Stalled", "True", "DependentsTimedOut"));
    assertThat(failed.getStatus().getDependentsWaitStartedAt()).isEqualTo(since);
    assertThat(OperatorHarness.condition(failed, "Stalled").orElseThrow().getMessage())
        .contains("waited 1m")
        .contains("deps/app")
        .contains("orderly.dev/force");
    // The Event follows the status write that the wait above saw.
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(warnings(NS, "op"))
                    .extracting(Event::getReason)
                    .containsExactly("DependentsTimedOut"));
    assertThat(configMap("op-settings")).isTrue();

    awaitGone(NS, "lib");
    assertThat(warnings(NS, "lib"))
        .extracting(Event::getReason)
        .containsExactly("DependentsTimedOut");
    assertThat(harness.get(NS, "app")).isNotNull();

    // onTimeout: Fail keeps waiting: the dependent's removal still lets it go.
    delete(NS, "app");
    awaitGone(NS, "op");
  }

  @Test
  void aNeverInstalledReleaseIsDeletedAtOnceThoughADependentStays() {
    create(NS, "op", r -> r.getSpec().setSuspend(true));
    create(NS, "app", dependsOn("op", null));
    harness.awaitRelease(NS, "app", r -> hasCondition(r, "Ready", "False", "DependencyNotReady"));
    delete(NS, "op");
    awaitGone(NS, "op");
    assertThat(reasons(NS, "op"))
        .contains("NothingToTearDown")
        .doesNotContain("WaitingForDependents");
    assertThat(harness.get(NS, "app")).as("the dependent stays").isNotNull();
  }

  @Test
  void anInstalledReleaseStaysReadyWhileItsDependencyIsForcedAwayAndRecreated() {
    create(NS, "op", r -> {});
    create(NS, "app", dependsOn("op", null));
    awaitReady(NS, "app");
    annotate(NS, "op", "orderly.dev/force", "true");
    delete(NS, "op");
    awaitGone(NS, "op");
    // A spec change Helm does not see (dependsOn is not deployed): once the operator has looked
    // at it, app has been looked at with its dependency missing.
    patchSpec(NS, "app", "{\"uninstall\":{\"dependentsTimeout\":\"31m\"}}");
    OrderedRelease looked = awaitObserved(NS, "app", 2);
    assertThat(hasCondition(looked, "Ready", "True", null)).isTrue();
    assertThat(hasCondition(looked, "Stalled", "True", null)).isFalse();
    assertThat(looked.getStatus().getPhase()).isEqualTo("Deployed");

    create(NS, "op", r -> {});
    awaitReady(NS, "op");
    assertThat(hasCondition(harness.get(NS, "app"), "Ready", "True", null)).isTrue();
    assertThat(reasons(NS, "app")).doesNotContain("DependencyNotFound");
  }

  @Test
  void aCycleAddedToAnInstalledReleaseAndRemovedLeavesItReady() {
    create(NS, "op", r -> {});
    create(NS, "app", dependsOn("op", null));
    awaitReady(NS, "app");
    patchSpec(NS, "op", "{\"dependsOn\":[{\"name\":\"app\"}]}");
    OrderedRelease cyclic = awaitObserved(NS, "op", 2);
    assertThat(hasCondition(cyclic, "Ready", "True", null)).isTrue();
    assertThat(hasCondition(cyclic, "Stalled", "True", null)).isFalse();
    patchSpec(NS, "op", "{\"dependsOn\":null}");
    OrderedRelease fixed = awaitObserved(NS, "op", 3);
    assertThat(hasCondition(fixed, "Ready", "True", null)).isTrue();
    assertThat(reasons(NS, "op")).doesNotContain("DependencyCycle");
    assertThat(hasCondition(harness.get(NS, "app"), "Ready", "True", null)).isTrue();
  }

  @Test
  void aStallWhoseCauseIsGoneEndsOnceTheReleaseIsFoundUpToDate() {
    harness.client().resource(valuesConfigMap()).create();
    create(
        NS,
        "op",
        r ->
            r.getSpec()
                .setValuesFrom(
                    List.of(
                        new ValuesReference(ValuesReference.Kind.ConfigMap, "op-values", null))));
    awaitReady(NS, "op");
    harness.client().configMaps().inNamespace(NS).withName("op-values").delete();
    harness.awaitRelease(NS, "op", r -> hasCondition(r, "Stalled", "True", "ValuesNotFound"));

    // The same values again: nothing to upgrade, and nothing wrong any more.
    harness.client().resource(valuesConfigMap()).create();
    OrderedRelease recovered =
        harness.awaitRelease(NS, "op", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(recovered.getStatus().getPhase()).isEqualTo("Deployed");
    assertThat(OperatorHarness.condition(recovered, "Stalled")).isEmpty();
    assertThat(recovered.getStatus().getRelease().getRevision()).as("no upgrade").isEqualTo(1);
    assertThat(harness.events(NS, "op"))
        .filteredOn(e -> e.getMessage().contains("no longer stalled (ValuesNotFound)"))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Normal"));
  }

  @Test
  void aDependencyDroppedFromDependsOnStopsHoldingItsTeardown() {
    installChain();
    delete(NS, "op");
    harness.awaitRelease(
        NS, "op", r -> hasCondition(r, "TearingDown", "True", "WaitingForDependents"));
    // Only the update that drops the edge can wake op now: its own recheck is the 30m timeout.
    patchSpec(NS, "crs", "{\"dependsOn\":null}");
    awaitGone(NS, "op");
    assertThat(harness.get(NS, "crs")).isNotNull();
  }

  @Test
  void refusedCrossNamespaceDependenciesHoldNoTeardown() {
    harness.close();
    harness = OperatorHarness.start(new TenancyPolicy(null, true));
    create("infra", "op", r -> {});
    create(NS, "app", dependsOn("op", "infra"));
    harness.awaitRelease(
        NS, "app", r -> hasCondition(r, "Stalled", "True", "CrossNamespaceReference"));
    awaitReady("infra", "op");
    delete("infra", "op");
    awaitGone("infra", "op");
    assertThat(reasons("infra", "op")).doesNotContain("WaitingForDependents");
    assertThat(harness.get(NS, "app")).isNotNull();
  }

  private ConfigMap valuesConfigMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName("op-values")
        .endMetadata()
        .withData(Map.of("values.yaml", "level: warn\n"))
        .build();
  }

  private void patchSpec(String namespace, String name, String spec) {
    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + spec + "}");
  }

  /** The release once the operator has looked at its generation {@code generation}. */
  private OrderedRelease awaitObserved(String namespace, String name, long generation) {
    return harness.awaitRelease(
        namespace,
        name,
        r ->
            r.getStatus() != null
                && r.getStatus().getObservedGeneration() != null
                && r.getStatus().getObservedGeneration() >= generation);
  }

  private void installChain() {
    create(NS, "op", r -> {});
    create(NS, "crs", dependsOn("op", null));
    create(NS, "app", dependsOn("crs", null));
    awaitReady(NS, "app");
  }

  private static boolean stalledOn(OrderedRelease release) {
    return hasCondition(release, "Stalled", "True", "DependencyCycle");
  }

  private static Consumer<OrderedRelease> dependsOn(String name, String namespace) {
    return r -> r.getSpec().setDependsOn(List.of(ref(name, namespace)));
  }

  private static DependencyReference ref(String name, String namespace) {
    return new DependencyReference(name, namespace);
  }

  private void create(String namespace, String name, Consumer<OrderedRelease> customize) {
    OrderedRelease release = Releases.ofChart(namespace, name, CHART);
    customize.accept(release);
    harness.create(release);
  }

  private void awaitReady(String namespace, String name) {
    harness.awaitRelease(namespace, name, r -> hasCondition(r, "Ready", "True", null));
  }

  private void delete(String namespace, String name) {
    harness.client().resources(OrderedRelease.class).inNamespace(namespace).withName(name).delete();
  }

  private void awaitGone(String namespace, String name) {
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> harness.get(namespace, name) == null);
  }

  private void annotate(String namespace, String name, String key, String value) {
    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  private boolean configMap(String name) {
    return harness.client().configMaps().inNamespace(NS).withName(name).get() != null;
  }

  private List<String> reasons(String namespace, String name) {
    return harness.events(namespace, name).stream().map(Event::getReason).toList();
  }

  private List<Event> warnings(String namespace, String name) {
    return harness.events(namespace, name).stream()
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  /** The request creating the ConfigMap {@code name}. */
  private static java.util.function.Predicate<ApiRequest> post(String name) {
    return r ->
        r.method().equals("POST")
            && r.path().contains("/configmaps")
            && r.body().contains("\"name\":\"" + name + "\"");
  }

  /** The request deleting the ConfigMap {@code name}. */
  private static java.util.function.Predicate<ApiRequest> delete(String name) {
    return r ->
        r.method().equals("DELETE") && r.path().matches(".*/configmaps/" + name + "(\\?.*)?");
  }

  /** Where the first request matching {@code match} is among the server's requests. */
  private int index(java.util.function.Predicate<ApiRequest> match) {
    List<ApiRequest> requests = harness.server().requests();
    for (int i = 0; i < requests.size(); i++) {
      if (match.test(requests.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such request among " + requests.size());
  }
}
