package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.testsupport.ApiFaults.Fault;
import dev.orderly.testsupport.ApiRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A teardown acting as the release's ServiceAccount that the API server refuses a delete (403): the
 * step fails naming the account, the phase stalls (ServiceAccountForbidden), nothing after it is
 * deleted, one Warning; granting it lets the teardown go on. The test API server does not
 * authorise, so the refusal is injected; TenancyE2E has the real one.
 */
class ServiceAccountTeardownIntegrationTest {
  private static final String DAEMON_SET = "/apis/apps/v1/namespaces/agents/daemonsets/agent-agent";

  private TeardownScenario scenario;

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aRefusedDeleteStallsThePhaseNamingTheAccountAndDeletesNothingAfterIt() {
    scenario = new TeardownScenario();
    scenario.install(release -> release.getSpec().setServiceAccountName("deployer"));
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    Fault refusal =
        scenario.harness.server().faults().answerUntilCleared("DELETE", DAEMON_SET, 403);

    scenario.delete();

    OrderedRelease stalled =
        scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "ServiceAccountForbidden"));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains(
            "DaemonSet agents/agent-agent could not be deleted: ServiceAccount agents/deployer"
                + " may not delete DaemonSet agents/agent-agent: injected fault 403");
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).as("nothing after it").isTrue();
    assertThat(scenario.eventReasons())
        .containsOnlyOnce("ServiceAccountForbidden")
        .doesNotContain("DeleteRefused");
    List<ApiRequest> deletes =
        scenario.requests().stream()
            .filter(r -> r.method().equals("DELETE"))
            // The test's own deletion of the OrderedRelease.
            .filter(r -> !r.path().contains("/orderedreleases/"))
            .toList();
    assertThat(deletes)
        .as("every delete of the teardown is the ServiceAccount's")
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().equals("system:serviceaccount:agents:deployer"));

    refusal.clear();
    scenario.poke();
    scenario.awaitGone();
    assertThat(scenario.exists("ServiceAccount", "agent-agent")).isFalse();
  }
}
