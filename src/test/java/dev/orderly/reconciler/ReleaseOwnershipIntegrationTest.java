package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmJavaClient;
import dev.orderly.helm.HelmReleaseRequest;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.testsupport.ApiRequest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orderly touches only the Helm releases it installed or was told to adopt: a release installed by
 * plain Helm, or owned by another OrderedRelease, is neither upgraded nor torn down.
 */
class ReleaseOwnershipIntegrationTest {
  private TeardownScenario scenario;

  @TempDir Path temp;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void ourOwnReleaseIsMarkedAfterInstallAndAfterUpgrade() {
    OrderedRelease installed = scenario.install(r -> {});
    String uid = installed.getMetadata().getUid();

    assertMarked(secret(1), uid);
    assertThat(description(secret(1)))
        .isEqualTo("orderly.dev/owner-uid=" + uid + " (OrderedRelease agents/agent)");

    OrderedRelease current = scenario.current();
    current.getSpec().setValues(Releases.json("{\"logLevel\": \"debug\"}"));
    scenario.harness.client().resource(current).update();
    scenario.awaitRelease(r -> hasCondition(r, "Ready", "True", "UpgradeSucceeded"));

    assertMarked(secret(2), uid);
    assertThat(description(secret(2))).startsWith("orderly.dev/owner-uid=" + uid);
  }

  @Test
  void aReleaseInstalledByPlainHelmIsRefusedAndLeftAloneOnDeletion() throws IOException {
    helmInstall();
    int before = scenario.requests().size();

    scenario.harness.create(Releases.ofChart(NS, NAME, Releases.NODE_AGENT));
    OrderedRelease stalled =
        scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "ForeignRelease"));

    assertThat(condition(stalled, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("Helm release agents/agent (revision 1) was installed outside Orderly")
        .contains("spec.adoptRelease: true");
    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> "ForeignRelease".equals(e.getReason()))
        .isNotEmpty()
        .allMatch(e -> "Warning".equals(e.getType()));
    assertThat(stalled.getStatus().getRelease().getRevision())
        .as("only the intent to install is in status, no revision")
        .isNull();

    scenario.delete();
    scenario.awaitGone();

    assertUntouchedSince(before);
    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> "ForeignReleaseLeftAlone".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains("installed outside Orderly")
                  .contains("nothing was deleted");
            });
    assertThat(scenario.eventReasons()).doesNotContain("TeardownPhaseStarted");
  }

  @Test
  void anAdoptedReleaseIsUpgradedThenTornDownFollowingItsRecord() throws IOException {
    helmInstall();

    OrderedRelease migrating = Releases.ofChart(NS, NAME, Releases.NODE_AGENT);
    migrating.getSpec().setValues(Releases.json("{\"logLevel\": \"debug\"}"));
    scenario.harness.create(migrating);
    scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "ForeignRelease"));

    // The migration: the user sets the field on the refused object; it is acted on at once.
    OrderedRelease adopting = scenario.current();
    adopting.getSpec().setAdoptRelease(true);
    scenario.harness.client().resource(adopting).update();
    OrderedRelease ready =
        scenario.awaitRelease(r -> hasCondition(r, "Ready", "True", "UpgradeSucceeded"));

    assertThat(ready.getStatus().getRelease().getRevision()).isEqualTo(2);
    assertMarked(secret(2), ready.getMetadata().getUid());
    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> "ReleaseAdopted".equals(e.getReason()))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("agents/agent");
    assertThat(
            scenario
                .harness
                .client()
                .configMaps()
                .inNamespace(NS)
                .withName("agent-config")
                .get()
                .getData())
        .containsEntry("logLevel", "debug");

    int before = scenario.requests().size();
    scenario.simulator.completeJobsAutomatically(true);
    scenario.delete();
    scenario.awaitGone();

    assertThat(scenario.eventReasons()).contains("TeardownComplete");
    assertThat(scenario.requests().subList(before, scenario.requests().size()))
        .as("the pre-delete hook of the adopted release's record ran")
        .anyMatch(r -> r.method().equals("POST") && r.path().endsWith("/namespaces/agents/jobs"));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isFalse();
    assertThat(scenario.exists("ConfigMap", "agent-config")).isFalse();
    assertThat(scenario.exists("ClusterRoleBinding", "agent-agent")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v2")).isFalse();
  }

  @Test
  void aSecondOrderedReleaseOfTheSameReleaseIsRefusedAndItsDeletionTouchesNothing() {
    OrderedRelease first = scenario.install(r -> {});
    String firstUid = first.getMetadata().getUid();
    int before = scenario.requests().size();

    OrderedRelease second = Releases.ofChart(NS, "agent-again", Releases.NODE_AGENT);
    second.getSpec().setReleaseName(NAME);
    // Adoption never takes a release from an OrderedRelease that still exists.
    second.getSpec().setAdoptRelease(true);
    scenario.harness.create(second);
    OrderedRelease stalled =
        scenario.harness.awaitRelease(
            NS, "agent-again", r -> hasCondition(r, "Stalled", "True", "ForeignRelease"));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("owned by OrderedRelease agents/agent (uid " + firstUid + ")");

    scenario
        .harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName("agent-again")
        .delete();
    org.awaitility.Awaitility.await()
        .atMost(dev.orderly.testsupport.OperatorHarness.TIMEOUT)
        .until(() -> scenario.harness.get(NS, "agent-again") == null);

    assertUntouchedSince(before);
    assertThat(scenario.harness.events(NS, "agent-again"))
        .filteredOn(e -> "ForeignReleaseLeftAlone".equals(e.getReason()))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("owned by OrderedRelease agents/agent");
    assertMarked(secret(1), firstUid);
    assertThat(hasCondition(scenario.current(), "Ready", "True", "InstallSucceeded")).isTrue();
  }

  @Test
  void anObjectThatNeverInstalledDeletesNothingCarryingItsReleaseName() {
    // Another tool's objects for a release named agent, its record gone: Helm's annotations on a
    // cluster-scoped object and the instance label on a DaemonSet, as the no-record plan finds.
    scenario
        .harness
        .client()
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                .withNewMetadata()
                .withName("agent-agent")
                .addToAnnotations("meta.helm.sh/release-name", NAME)
                .addToAnnotations("meta.helm.sh/release-namespace", NS)
                .endMetadata()
                .build())
        .create();
    scenario.operatorManagedDaemonSet("agent-other");
    int before = scenario.requests().size();

    scenario.harness.create(Releases.ofChart(NS, NAME, Path.of("/charts/not-there")));
    scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "ChartNotFound"));
    scenario.delete();
    scenario.awaitGone();

    assertThat(scenario.requests().subList(before, scenario.requests().size()))
        .noneMatch(r -> r.method().equals("DELETE") && !r.path().contains("/orderedreleases/"));
    assertThat(scenario.exists("ClusterRole", "agent-agent")).isTrue();
    assertThat(scenario.exists("DaemonSet", "agent-other")).isTrue();
    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> "NothingToTearDown".equals(e.getReason()))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("never recorded installing it");
  }

  /** Installs the node-agent chart as release agent the way a user would, with plain Helm. */
  private void helmInstall() throws IOException {
    Path values = Files.writeString(temp.resolve("values.yaml"), "{}\n");
    new HelmJavaClient(scenario.harness.server().kubeconfig())
        .install(
            new HelmReleaseRequest(
                NAME, NS, Releases.NODE_AGENT, values, false, Duration.ofMinutes(1), null));
    scenario.awaitPods("agent-agent", 2);
    assertThat(secret(1).getMetadata().getLabels())
        .doesNotContainKey(ReleaseOwnership.OWNER_UID_LABEL);
  }

  /** The release stayed as it was: revision 1 only, unmarked, every object in place. */
  private void assertUntouchedSince(int requestIndex) {
    List<ApiRequest> writes =
        scenario.requests().subList(requestIndex, scenario.requests().size()).stream()
            .filter(r -> !r.method().equals("GET"))
            .filter(r -> !r.path().contains("/orderedreleases") && !r.path().contains("/events"))
            .filter(r -> r.method().equals("DELETE") || r.path().contains("/secrets"))
            .toList();
    assertThat(writes).as("no delete, no Helm record written").isEmpty();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1")).isTrue();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v2")).isFalse();
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();
    assertThat(scenario.exists("Deployment", "agent-controller")).isTrue();
    assertThat(scenario.exists("ConfigMap", "agent-config")).isTrue();
    assertThat(scenario.exists("ClusterRoleBinding", "agent-agent")).isTrue();
  }

  private static void assertMarked(Secret secret, String uid) {
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(ReleaseOwnership.OWNER_UID_LABEL, uid)
        .containsEntry("owner", "helm");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(ReleaseOwnership.OWNER_ANNOTATION, "agents/agent");
  }

  private Secret secret(int revision) {
    return scenario
        .harness
        .client()
        .secrets()
        .inNamespace(NS)
        .withName("sh.helm.release.v1.agent.v" + revision)
        .get();
  }

  private static String description(Secret secret) {
    return ReleaseRecordCodec.releaseJson(secret).path("info").path("description").asText();
  }
}
