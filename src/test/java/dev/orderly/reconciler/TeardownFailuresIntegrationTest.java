package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.deletes;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hooks that fail or hang, and DaemonSet pods that never stop, under both onTimeout policies. */
class TeardownFailuresIntegrationTest {
  private final MutableClock clock = MutableClock.startingNow();
  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aFailingHookKeepsTheFinalizerDeletesNothingAfterItAndSaysWhy() {
    scenario = new TeardownScenario(clock);
    scenario.install(release -> {});
    scenario.delete();
    scenario.awaitRelease(r -> scenario.exists("Job", "agent-drain"));

    scenario.simulator.failJob(NS, "agent-drain");

    OrderedRelease stalled =
        scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "HookFailed"));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("pre-delete hook Job agents/agent-drain failed: Job BackoffLimitExceeded");
    assertThat(stalled.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);
    assertThat(stalled.getStatus().getPhase()).isEqualTo("TearingDown:PreDeleteHooks");
    assertThat(scenario.eventReasons()).containsOnlyOnce("HookFailed");
    assertThat(deletes(scenario.requests(), path -> true)).as("nothing was deleted").isEmpty();
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isTrue();

    // The escape hatch: skip the hooks, with a Warning, and the teardown goes on.
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.annotate("orderly.dev/skip-hooks", "true");
    scenario.awaitGone();
    assertThat(scenario.eventReasons()).contains("HooksSkipped");

    // The failed Job was kept for inspection while the teardown went on, and went with the
    // release at the very end.
    assertThat(eventMessages())
        .contains(
            "pre-delete hook Job agents/agent-drain failed; kept for inspection, removed with the"
                + " release; going on (orderly.dev/skip-hooks)");
    List<ApiRequest> journal = scenario.requests();
    assertThat(firstDelete(journal, "/jobs/agent-drain"))
        .as("kept until the end")
        .isGreaterThan(firstDelete(journal, "/secrets/sh.helm.release.v1.agent.v1"))
        .isGreaterThan(firstDelete(journal, "/daemonsets/agent-agent"));
    assertThat(scenario.exists("Job", "agent-drain")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(OnTimeout.class)
  void aHookThatRunsPastItsTimeout(OnTimeout onTimeout) {
    scenario = new TeardownScenario(clock);
    scenario.install(release -> release.getSpec().getUninstall().setOnTimeout(onTimeout));
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.delete();
    scenario.awaitRelease(r -> scenario.exists("Job", "agent-drain"));

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    scenario.poke();

    if (onTimeout == OnTimeout.Fail) {
      OrderedRelease stalled =
          scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "HookTimedOut"));
      assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
          .contains("Job agents/agent-drain did not finish within spec.uninstall.hookTimeout");
      assertThat(scenario.exists("DaemonSet", "agent-agent")).as("nothing after the hook").isTrue();
      // It keeps waiting: the hook finishing late lets the teardown go on.
      scenario.simulator.completeJob(NS, "agent-drain");
    }
    scenario.awaitGone();
    assertThat(scenario.eventReasons()).contains("HookTimedOut");
    if (onTimeout == OnTimeout.Continue) {
      // Stopped, with its pods, before anything after it was deleted.
      List<ApiRequest> journal = scenario.requests();
      int stop = firstDelete(journal, "/jobs/agent-drain");
      assertThat(journal.get(stop).body()).contains("Foreground");
      assertThat(stop).isLessThan(firstDelete(journal, "/daemonsets/agent-agent"));
      assertThat(eventMessages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("Job agents/agent-drain did not finish")
                      .contains("stopping it (deleting it with its pods)"));
    }
  }

  @ParameterizedTest
  @EnumSource(OnTimeout.class)
  void aDaemonSetWhosePodsNeverStop(OnTimeout onTimeout) {
    scenario = new TeardownScenario(clock);
    scenario.install(release -> release.getSpec().getUninstall().setOnTimeout(onTimeout));
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.simulator.neverStop("agent-agent-node-2");
    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.DaemonSets));
    scenario.awaitPods("agent-agent", 1);

    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    scenario.poke();

    if (onTimeout == OnTimeout.Fail) {
      OrderedRelease stalled =
          scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "PhaseTimedOut"));
      assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
          .contains("DaemonSets did not finish within spec.uninstall.timeout")
          .contains("DaemonSet agents/agent-agent");
      assertThat(scenario.exists("ServiceAccount", "agent-agent")).as("RBAC stays").isTrue();
      assertThat(stalled.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);
    } else {
      scenario.awaitGone();
      assertThat(scenario.eventReasons()).contains("PhaseTimedOut");
      assertThat(scenario.exists("ServiceAccount", "agent-agent")).isFalse();
    }
  }

  private List<String> eventMessages() {
    return scenario.harness.events(NS, "agent").stream().map(Event::getMessage).toList();
  }

  static TeardownStep step(
      TeardownScenario scenario, OrderedRelease release, String kind, String name) {
    return scenario.steps(release).stream()
        .filter(s -> kind.equals(s.getKind()) && name.equals(s.getName()))
        .findFirst()
        .orElseThrow();
  }
}
