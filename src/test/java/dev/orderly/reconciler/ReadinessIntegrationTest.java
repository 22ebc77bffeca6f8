package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ready means the release's objects are ready, observed on the test API server with the cluster
 * simulator's workload controllers, which the test holds back and lets go.
 */
class ReadinessIntegrationTest {
  private static final String NS = "ready";
  private static final String CONTROLLER = "Deployment ready/agent-controller";

  private final MutableClock clock = MutableClock.startingNow();
  private OperatorHarness harness;
  private ClusterSimulator simulator;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start(clock);
    simulator = new ClusterSimulator(harness.client(), 2).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
    harness.close();
  }

  @Test
  void aDeploymentThatNeverBecomesAvailableKeepsReadyFalseNamingItThenStalls() {
    simulator.holdRollout("agent-controller");
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    release.getSpec().getInstall().setTimeout("2m");
    harness.create(release);

    OrderedRelease waiting =
        harness.awaitRelease(
            NS,
            "agent",
            r ->
                hasCondition(r, "Ready", "False", "WaitingForReadiness")
                    && readyMessage(r).contains(CONTROLLER + " (0 of 1 replicas available)")
                    && !readyMessage(r).contains("DaemonSet"));
    assertThat(readyMessage(waiting))
        .isEqualTo(
            "Helm installed release agent at revision 1; 1 of 6 objects not ready: "
                + CONTROLLER
                + " (0 of 1 replicas available)");
    assertThat(hasCondition(waiting, "Released", "True", "InstallSucceeded")).isTrue();
    assertThat(hasCondition(waiting, "Reconciling", "True", "WaitingForReadiness")).isTrue();
    assertThat(condition(waiting, "Stalled")).isEmpty();
    assertThat(waiting.getStatus().getPhase()).isEqualTo("Installing");
    assertThat(waiting.getStatus().getRelease().getReadinessDeadline()).isNotNull();
    assertThat(waiting.getStatus().getRelease().getReadyAt()).isNull();

    clock.advance(Duration.ofMinutes(3));
    poke();

    OrderedRelease stalled =
        harness.awaitRelease(
            NS, "agent", r -> hasCondition(r, "Stalled", "True", "ReadinessTimedOut"));
    assertThat(hasCondition(stalled, "Ready", "False", "ReadinessTimedOut")).isTrue();
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains(CONTROLLER + " (0 of 1 replicas available)")
        .endsWith("within spec.install.timeout (2m)");
    assertThat(condition(stalled, "Reconciling")).isEmpty();
    assertThat(stalled.getStatus().getPhase()).isEqualTo("Failed");

    poke();
    harness.awaitRelease(
        NS, "agent", r -> "true".equals(r.getMetadata().getAnnotations().get("poked-twice")));
    assertThat(harness.events(NS, "agent"))
        .filteredOn(e -> "ReadinessTimedOut".equals(e.getReason()))
        .hasSize(1)
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void becomesReadyOnlyOnceTheWorkloadsHaveRolledOut() {
    simulator.holdRollout("agent-");
    harness.create(Releases.ofChart(NS, "agent", Releases.NODE_AGENT));

    OrderedRelease waiting =
        harness.awaitRelease(
            NS,
            "agent",
            r ->
                hasCondition(r, "Ready", "False", "WaitingForReadiness")
                    && readyMessage(r).contains("2 of 6 objects not ready"));
    assertThat(readyMessage(waiting))
        .contains("DaemonSet ready/agent-agent (0 of 2 pods available)")
        .contains(CONTROLLER + " (0 of 1 replicas available)");

    simulator.releaseRollout("agent-");

    OrderedRelease ready =
        harness.awaitRelease(
            NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(readyMessage(ready))
        .isEqualTo("Helm installed release agent at revision 1; all 6 objects are ready");
    assertThat(ready.getStatus().getPhase()).isEqualTo("Deployed");
    assertThat(ready.getStatus().getRelease().getReadyAt()).isNotNull();
    assertThat(condition(ready, "Reconciling")).isEmpty();
    assertThat(harness.events(NS, "agent"))
        .extracting(Event::getReason)
        .containsSubsequence("InstallSucceeded", "ObjectsReady");
    var deployment =
        harness.client().apps().deployments().inNamespace(NS).withName("agent-controller").get();
    assertThat(deployment.getStatus().getAvailableReplicas()).isEqualTo(1);
  }

  @Test
  void aReleaseSuspendedWhileItWaitsForReadinessStopsWatching() {
    simulator.holdRollout("agent-controller");
    harness.create(Releases.ofChart(NS, "agent", Releases.NODE_AGENT));
    harness.awaitRelease(
        NS, "agent", r -> hasCondition(r, "Ready", "False", "WaitingForReadiness"));
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(harness.operator().watchingOnDemand())
                    .as("the waiting release's workloads wake it")
                    .contains("Deployment/" + NS));

    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName("agent")
        .edit(
            r -> {
              r.getSpec().setSuspend(true);
              return r;
            });

    await()
        .atMost(OperatorHarness.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(harness.operator().watchingOnDemand())
                    .as("a suspended release is not looked at, so nothing may wake it")
                    .isEmpty());
  }

  @Test
  void withWaitFalseReadyComesAsSoonAsHelmIsDone() {
    simulator.holdRollout("agent-controller");
    OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
    release.getSpec().getInstall().setWait(false);
    harness.create(release);

    OrderedRelease ready =
        harness.awaitRelease(
            NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(readyMessage(ready)).isEqualTo("Helm installed release agent at revision 1");
    assertThat(ready.getStatus().getRelease().getReadinessDeadline()).isNull();
    var deployment =
        harness.client().apps().deployments().inNamespace(NS).withName("agent-controller").get();
    assertThat(
            deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas())
        .as("Ready did not wait for the Deployment")
        .isIn(null, 0);
  }

  private static String readyMessage(OrderedRelease release) {
    return condition(release, "Ready").map(c -> c.getMessage()).orElse("");
  }

  /** Any update makes the operator look again, as the clock's move alone would not. */
  private void poke() {
    String key =
        harness.get(NS, "agent").getMetadata().getAnnotations() != null
                && harness.get(NS, "agent").getMetadata().getAnnotations().containsKey("poked")
            ? "poked-twice"
            : "poked";
    harness
        .client()
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName("agent")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + key + "\":\"true\"}}}");
  }
}
