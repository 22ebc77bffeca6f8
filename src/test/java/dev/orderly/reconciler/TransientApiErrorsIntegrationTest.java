package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.TeardownScenario.ALL_PHASES;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.testsupport.ApiFaults;
import dev.orderly.testsupport.ApiFaults.Fault;
import dev.orderly.testsupport.ApiRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Errors injected into the API server in every phase of a teardown: transient ones (5xx, 429) are
 * retried with a backoff and said in status without Stalled, and the teardown still finishes in
 * order; a definite one (422) fails the step with the server's message until it is fixed.
 */
class TransientApiErrorsIntegrationTest {
  private static final String JOBS = "/apis/batch/v1/namespaces/agents/jobs";
  private static final String DAEMON_SET = "/apis/apps/v1/namespaces/agents/daemonsets/agent-agent";
  private static final String SECRETS = "/api/v1/namespaces/agents/secrets";
  private static final String RECORD =
      "/api/v1/namespaces/agents/secrets/sh.helm.release.v1.agent.v1";

  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void transientErrorsInEveryPhaseAreRetriedAndTheTeardownFinishesInOrder() {
    scenario = new TeardownScenario();
    scenario.install(release -> {});
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    ApiFaults faults = scenario.harness.server().faults();
    // The hook is observed from a Job informer started for it: its first lists fail, and are
    // retried while the look decides nothing.
    Fault jobList = faults.answer("GET", JOBS, 503, 2);
    // Each answers until the test has seen the retry in status, in the order the teardown meets
    // them: reading Helm's record to plan, the hook's creation, a DaemonSet's delete, the
    // record's removal.
    List<Fault> inOrder =
        List.of(
            faults.answerUntilCleared("GET", SECRETS, 504),
            faults.answerUntilCleared("POST", JOBS, 500),
            faults.answerUntilCleared("DELETE", DAEMON_SET, 500),
            faults.answerUntilCleared("DELETE", RECORD, 429));
    List<String> seenIn = List.of("GET", "POST", "DELETE", "DELETE");
    List<String> paths = List.of(SECRETS, JOBS, DAEMON_SET, RECORD);

    scenario.delete();

    for (int i = 0; i < inOrder.size(); i++) {
      String said = seenIn.get(i) + " at: " + scenario.harness.server().url() + paths.get(i);
      OrderedRelease retrying =
          scenario.awaitRelease(
              r ->
                  hasCondition(r, "Reconciling", "True", "TransientApiError")
                      && condition(r, "Reconciling").orElseThrow().getMessage().contains(said));
      assertThat(condition(retrying, "Reconciling").orElseThrow().getMessage())
          .startsWith("retrying after a transient API error: ");
      assertThat(condition(retrying, "TearingDown").orElseThrow().getMessage())
          .startsWith("retrying after a transient API error: ");
      assertThat(condition(retrying, "Stalled")).as("time fixes it: not stalled").isEmpty();
      assertThat(retrying.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);
      assertThat(inOrder.get(i).hits()).isPositive();
      inOrder.get(i).clear();
    }

    scenario.awaitGone();
    assertThat(jobList.hits()).as("the Job informer's list was retried").isEqualTo(2);
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(ALL_PHASES);
    List<ApiRequest> journal = scenario.requests();
    assertThat(firstDelete(journal, "/daemonsets/agent-agent"))
        .as("the DaemonSet before RBAC, retries and all")
        .isLessThan(firstDelete(journal, "/serviceaccounts/agent-agent"));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1")).isFalse();
    assertThat(scenario.eventReasons()).doesNotContain("DeleteRefused", "HookCreateFailed");
  }

  @Test
  void aDefiniteRefusalFailsTheStepWithTheServersMessageUntilItIsFixed() {
    scenario = new TeardownScenario();
    scenario.install(release -> {});
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    Fault refusal =
        scenario.harness.server().faults().answerUntilCleared("DELETE", DAEMON_SET, 422);

    scenario.delete();

    OrderedRelease stalled =
        scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "DeleteRefused"));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .startsWith(
            "DaemonSets: DaemonSet agents/agent-agent could not be deleted: 422 injected fault 422"
                + " for DELETE "
                + DAEMON_SET);
    assertThat(
            TeardownFailuresIntegrationTest.step(scenario, stalled, "DaemonSet", "agent-agent")
                .getState())
        .isIn(
            dev.orderly.api.TeardownStep.State.Failed,
            dev.orderly.api.TeardownStep.State.InProgress);
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).as("nothing after it").isTrue();
    assertThat(scenario.eventReasons()).containsOnlyOnce("DeleteRefused");
    assertThat(refusal.hits()).as("asked again at the stall's pace, not in a loop").isLessThan(7);

    // Whatever refused it is fixed: the next look (here prompted) deletes it and goes on.
    refusal.clear();
    scenario.poke();
    scenario.awaitGone();
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isFalse();
  }
}
