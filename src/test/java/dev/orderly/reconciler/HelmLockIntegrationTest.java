package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.helm.HelmClient;
import dev.orderly.helm.HelmReleaseInfo;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.HelmReleaseRequest;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.PodTermination;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One Helm operation at a time per release: a deletion waits for the install in flight, and a
 * pending record left by a crash is recovered once older than the operation's timeout.
 */
class HelmLockIntegrationTest {
  private final MutableClock clock = MutableClock.startingNow();
  private final HeldInstall held = new HeldInstall();
  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    held.proceed.countDown();
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  void aDeletionWaitsForTheInstallInFlightThenTearsDownAllItCreatedInOrder() throws Exception {
    scenario = new TeardownScenario(clock, held);
    scenario.harness.create(Releases.ofChart(NS, NAME, Releases.NODE_AGENT));
    assertThat(held.entered.await(OperatorHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    scenario.delete();

    String waiting =
        "waiting for the Helm install in progress to finish before planning the teardown";
    OrderedRelease meanwhile =
        scenario.awaitRelease(
            r -> hasCondition(r, "TearingDown", "True", "WaitingForHelmOperation"));
    assertThat(condition(meanwhile, "TearingDown").orElseThrow().getMessage()).isEqualTo(waiting);
    assertThat(hasCondition(meanwhile, "Reconciling", "True", "WaitingForHelmOperation")).isTrue();
    assertThat(meanwhile.getStatus().getTeardown()).as("nothing planned yet").isNull();
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isFalse();

    held.proceed.countDown();

    // Planned from the settled record: everything the install created is in the plan.
    OrderedRelease planned =
        scenario.awaitRelease(r -> r.getStatus() != null && r.getStatus().getTeardown() != null);
    assertThat(planned.getStatus().getTeardown().getRevision()).isEqualTo(1);
    assertThat(scenario.steps(planned))
        .extracting(s -> s.getKind() + "/" + s.getName())
        .contains(
            "DaemonSet/agent-agent",
            "Deployment/agent-controller",
            "ConfigMap/agent-config",
            "ClusterRoleBinding/agent-agent",
            "ServiceAccount/agent-agent");
    scenario.awaitRelease(
        r ->
            r.getStatus().getTeardown().getPhase() == TeardownPhase.PreDeleteHooks
                && scenario.exists("Job", "agent-drain"));
    scenario.awaitPods("agent-agent", 2);
    scenario.simulator.completeJob(NS, "agent-drain");
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();

    List<PodTermination> terminations = scenario.simulator.terminations();
    assertThat(terminations)
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.sawItsRbac()).as(t.pod()).isTrue());
    List<ApiRequest> journal = scenario.requests();
    int lastPodStopped =
        last(
            journal,
            r -> r.path().contains("/namespaces/" + NS + "/pods/") && !r.method().equals("GET"));
    int firstRbacDelete =
        first(
            journal,
            r ->
                r.method().equals("DELETE")
                    && (r.path().contains("/serviceaccounts/")
                        || r.path().contains("rbac.authorization.k8s.io")));
    assertThat(firstRbacDelete).isGreaterThan(lastPodStopped);
    assertThat(first(journal, r -> isDelete(r, "/daemonsets/agent-agent")))
        .isLessThan(first(journal, r -> isDelete(r, "/deployments/agent-controller")));
    List<String> reasons = scenario.eventReasons();
    assertThat(reasons)
        .doesNotContain("ReleaseRecordMissing")
        .containsOnlyOnce("WaitingForHelmOperation")
        .endsWith("TeardownComplete");
    assertThat(reasons.indexOf("WaitingForHelmOperation"))
        .isLessThan(reasons.indexOf("TeardownPhaseStarted"));
    for (String kind :
        List.of(
            "DaemonSet/agent-agent",
            "Deployment/agent-controller",
            "ConfigMap/agent-config",
            "ServiceAccount/agent-agent",
            "ClusterRole/agent-agent",
            "ClusterRoleBinding/agent-agent",
            "Secret/sh.helm.release.v1.agent.v1")) {
      String[] parts = kind.split("/");
      assertThat(scenario.exists(parts[0], parts[1])).as(kind + " is gone").isFalse();
    }
  }

  @Test
  void aDeletionWaitsForTheUpgradeInFlightThenPlansFromTheUpgradedRevision() throws Exception {
    held.holdUpgrades = true;
    scenario = new TeardownScenario(clock, held);
    scenario.install(release -> {});
    OrderedRelease current = scenario.current();
    current.getSpec().setValues(Releases.json("{\"logLevel\": \"debug\"}"));
    scenario.harness.client().resource(current).update();
    assertThat(held.entered.await(OperatorHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    scenario.delete();

    OrderedRelease meanwhile =
        scenario.awaitRelease(
            r -> hasCondition(r, "TearingDown", "True", "WaitingForHelmOperation"));
    assertThat(condition(meanwhile, "TearingDown").orElseThrow().getMessage())
        .isEqualTo(
            "waiting for the Helm upgrade in progress to finish before planning the teardown");
    assertThat(meanwhile.getStatus().getTeardown()).isNull();

    held.proceed.countDown();

    OrderedRelease planned =
        scenario.awaitRelease(r -> r.getStatus() != null && r.getStatus().getTeardown() != null);
    assertThat(planned.getStatus().getTeardown().getRevision()).isEqualTo(2);
    scenario.awaitRelease(r -> scenario.exists("Job", "agent-drain"));
    scenario.simulator.completeJob(NS, "agent-drain");
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();
    assertThat(scenario.exists("ConfigMap", "agent-config")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v2")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1")).isFalse();
  }

  @Test
  void aPendingInstallLeftByACrashIsRemovedAndTheInstallAdoptsWhatItHadCreated() {
    scenario = new TeardownScenario(clock, UnaryOperator.identity());
    // What a crash mid-install leaves: Helm's pending record and an object carrying its ownership.
    Secret record = store(pendingRecord(1, "pending-install", clock.instant().minusSeconds(3600)));
    scenario
        .harness
        .client()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("agent-config")
                .withNamespace(NS)
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .addToAnnotations("meta.helm.sh/release-name", NAME)
                .addToAnnotations("meta.helm.sh/release-namespace", NS)
                .endMetadata()
                .addToData("logLevel", "half-written")
                .build())
        .create();

    scenario.harness.create(Releases.ofChart(NS, NAME, Releases.NODE_AGENT));

    OrderedRelease installed =
        scenario.awaitRelease(r -> hasCondition(r, "Released", "True", "InstallSucceeded"));
    assertThat(installed.getStatus().getRelease().getRevision()).isEqualTo(1);
    assertThat(installed.getStatus().getRelease().getHelmStatus()).isEqualTo("deployed");
    assertThat(releaseSecret(1).getMetadata().getUid())
        .as("Helm wrote a record of its own")
        .isNotEqualTo(record.getMetadata().getUid());
    assertThat(configMap().getData()).containsEntry("logLevel", "info");
    assertThat(recovered())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains("revision 1 was pending-install for 1h")
                  .contains("sh.helm.release.v1.agent.v1")
                  .contains("so the install runs again");
            });
  }

  @Test
  void aPendingUpgradeLeftByACrashIsRemovedAndTheUpgradeGivesTheNextRevision() {
    scenario = new TeardownScenario(clock, UnaryOperator.identity());
    scenario.install(release -> {});
    store(pendingRecord(2, "pending-upgrade", clock.instant().minusSeconds(3600)));

    OrderedRelease current = scenario.current();
    current.getSpec().setValues(Releases.json("{\"logLevel\": \"debug\"}"));
    scenario.harness.client().resource(current).update();

    OrderedRelease upgraded =
        scenario.awaitRelease(r -> hasCondition(r, "Released", "True", "UpgradeSucceeded"));
    assertThat(upgraded.getStatus().getRelease().getRevision()).isEqualTo(2);
    assertThat(upgraded.getStatus().getRelease().getHelmStatus()).isEqualTo("deployed");
    assertThat(releaseSecret(1).getMetadata().getLabels()).containsEntry("status", "superseded");
    assertThat(releaseSecret(2).getMetadata().getLabels()).containsEntry("status", "deployed");
    assertThat(configMap().getData()).containsEntry("logLevel", "debug");
    assertThat(recovered())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("revision 2 was pending-upgrade for 1h")
                    .contains("the revision before it is the latest again"));
  }

  @Test
  void aFreshPendingRecordIsLeftAloneAndStatusSaysWhenItWillBeStale() {
    scenario = new TeardownScenario(clock, UnaryOperator.identity());
    Secret record = store(pendingRecord(1, "pending-install", clock.instant()));
    Instant staleAt =
        Instant.ofEpochSecond(Long.parseLong(record.getMetadata().getLabels().get("createdAt")))
            .plus(Duration.ofMinutes(5));

    scenario.harness.create(Releases.ofChart(NS, NAME, Releases.NODE_AGENT));

    OrderedRelease waiting =
        scenario.awaitRelease(r -> hasCondition(r, "Ready", "False", "ReleasePending"));
    assertThat(condition(waiting, "Ready").orElseThrow().getMessage())
        .contains("revision 1 is pending-install")
        .contains(
            "treated as stale and removed at " + DateTimeFormatter.ISO_INSTANT.format(staleAt));
    assertThat(hasCondition(waiting, "Stalled", "True", null)).isFalse();
    Secret stored = releaseSecret(1);
    assertThat(stored.getMetadata().getUid()).isEqualTo(record.getMetadata().getUid());
    assertThat(stored.getMetadata().getLabels()).containsEntry("status", "pending-install");
    assertThat(recovered()).isEmpty();

    // Past the install timeout the record is nobody's: the next try removes it and installs.
    clock.advance(Duration.ofMinutes(6));
    scenario.poke();

    OrderedRelease installed =
        scenario.awaitRelease(r -> hasCondition(r, "Released", "True", "InstallSucceeded"));
    assertThat(installed.getStatus().getRelease().getRevision()).isEqualTo(1);
    assertThat(releaseSecret(1).getMetadata().getLabels()).containsEntry("status", "deployed");
    assertThat(recovered()).hasSize(1);
  }

  @Test
  void aReleaseDeletedWhileItsRecordIsPendingIsTornDownFromThatRecord() {
    scenario = new TeardownScenario(clock, UnaryOperator.identity());
    // A crash mid-install: the record names what Helm meant to create, and it created some.
    String manifest =
        "---\n# Source: node-agent/templates/config.yaml\napiVersion: v1\nkind: ConfigMap\n"
            + "metadata:\n  name: agent-config\n  namespace: agents\ndata:\n  logLevel: info\n";
    Secret record =
        ReleaseRecordCodec.encode(
            new HelmReleaseRecord(
                NAME, NS, 1, "pending-install", "node-agent", "0.1.0", manifest, List.of()));
    record
        .getMetadata()
        .getLabels()
        .put("createdAt", Long.toString(clock.instant().getEpochSecond()));
    store(record);
    scenario
        .harness
        .client()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("agent-config")
                .withNamespace(NS)
                .endMetadata()
                .addToData("logLevel", "info")
                .build())
        .create();
    scenario.harness.create(Releases.ofChart(NS, NAME, Releases.NODE_AGENT));
    scenario.awaitRelease(r -> hasCondition(r, "Ready", "False", "ReleasePending"));

    scenario.delete();
    scenario.awaitGone();

    assertThat(scenario.exists("ConfigMap", "agent-config")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1")).isFalse();
    assertThat(first(scenario.requests(), r -> isDelete(r, "/configmaps/agent-config")))
        .isLessThan(
            first(scenario.requests(), r -> isDelete(r, "/secrets/sh.helm.release.v1.agent.v1")));
    assertThat(scenario.eventReasons())
        .doesNotContain("ReleaseRecordMissing", "StaleLockRecovered", "WaitingForHelmOperation")
        .endsWith("TeardownComplete");
  }

  /** Helm's record of revision {@code revision} of the release, as a crash left it. */
  private static Secret pendingRecord(int revision, String status, Instant createdAt) {
    Secret secret =
        ReleaseRecordCodec.encode(
            new HelmReleaseRecord(
                NAME, NS, revision, status, "node-agent", "0.1.0", "", List.of()));
    secret.getMetadata().getLabels().put("createdAt", Long.toString(createdAt.getEpochSecond()));
    return secret;
  }

  private Secret store(Secret secret) {
    return scenario.harness.client().resource(secret).create();
  }

  private Secret releaseSecret(int revision) {
    return scenario
        .harness
        .client()
        .secrets()
        .inNamespace(NS)
        .withName(ReleaseSecrets.secretName(NAME, revision))
        .get();
  }

  private ConfigMap configMap() {
    return scenario.harness.client().configMaps().inNamespace(NS).withName("agent-config").get();
  }

  private List<Event> recovered() {
    return scenario.harness.events(NS, NAME).stream()
        .filter(e -> "StaleLockRecovered".equals(e.getReason()))
        .toList();
  }

  private static boolean isDelete(ApiRequest request, String path) {
    return request.method().equals("DELETE") && request.path().contains(path);
  }

  private static int first(List<ApiRequest> journal, Predicate<ApiRequest> matches) {
    return IntStream.range(0, journal.size())
        .filter(i -> matches.test(journal.get(i)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no such request"));
  }

  private static int last(List<ApiRequest> journal, Predicate<ApiRequest> matches) {
    return IntStream.range(0, journal.size())
        .filter(i -> matches.test(journal.get(i)))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no such request"));
  }

  /**
   * Holds every install (or, once {@link #holdUpgrades}, every upgrade instead) until the test lets
   * it go, as a long Helm operation would run on.
   */
  private static final class HeldInstall implements UnaryOperator<HelmClient> {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    volatile boolean holdUpgrades;

    private void hold() {
      entered.countDown();
      try {
        if (!proceed.await(OperatorHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let the operation go on");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public HelmClient apply(HelmClient real) {
      return new HelmClient() {
        @Override
        public HelmReleaseInfo install(HelmReleaseRequest request) {
          if (!holdUpgrades) {
            hold();
          }
          return real.install(request);
        }

        @Override
        public HelmReleaseInfo upgrade(HelmReleaseRequest request) {
          if (holdUpgrades) {
            hold();
          }
          return real.upgrade(request);
        }

        @Override
        public Optional<HelmReleaseInfo> status(String releaseName, String namespace) {
          return real.status(releaseName, namespace);
        }
      };
    }
  }
}
