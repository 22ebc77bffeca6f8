package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.first;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.last;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.phase;
import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.Namespace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A chart that templates its own Namespace with a post-delete hook in it (the own-namespace
 * example): the hook runs inside the Namespace while it exists, and the Namespace goes after it,
 * waited for until gone. The test holds the Namespace with a finalizer, as the namespace controller
 * does while it empties a namespace, so "gone" comes when the test says.
 */
class OwnNamespaceTeardownIntegrationTest {
  private static final Path CHART = Path.of("charts/examples/own-namespace").toAbsolutePath();
  private static final String WORKSPACE = NAME + "-workspace";
  private static final String WORKSPACE_PATH = "/api/v1/namespaces/" + WORKSPACE;
  private static final String HOOK_JOBS = "/apis/batch/v1/namespaces/" + WORKSPACE + "/jobs";
  private static final String HOOK = NAME + "-archive";

  private final MutableClock clock = MutableClock.startingNow();
  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario(clock);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void theHookRunsInsideTheNamespaceAndTheNamespaceGoesAfterIt() {
    scenario.installChart(CHART, r -> {});
    scenario.hold(workspace());

    scenario.delete();
    scenario.awaitRelease(r -> phase(r, TeardownPhase.PostDeleteHooks) && hookExists());
    assertThat(workspace().getMetadata().getDeletionTimestamp())
        .as("the hook is created in a namespace that exists and is not terminating")
        .isNull();
    assertThat(scenario.harness.client().serviceAccounts().inNamespace(WORKSPACE).list().getItems())
        .as("the chart's ServiceAccount went in Rbac; the hook's own was created for it")
        .extracting(sa -> sa.getMetadata().getName())
        .containsExactly(HOOK);
    scenario.simulator.completeJob(WORKSPACE, HOOK);

    // The intent saved before the delete still carries the previous message; the look's last
    // save says what it waits for.
    OrderedRelease waiting =
        scenario.awaitRelease(
            r ->
                phase(r, TeardownPhase.Namespaces)
                    && workspaceTerminating()
                    && condition(r, "TearingDown")
                        .map(c -> c.getMessage().contains("Namespace " + WORKSPACE))
                        .orElse(false));
    assertThat(waiting.getMetadata().getFinalizers())
        .as("the teardown waits until the Namespace is gone")
        .contains(OrderedRelease.FINALIZER);
    scenario.release(workspace());
    scenario.awaitGone();

    List<ApiRequest> journal = scenario.requests();
    int hookCreated = first(journal, r -> r.method().equals("POST") && is(r, HOOK_JOBS));
    int hookFinished =
        first(journal, r -> !r.method().equals("GET") && is(r, HOOK_JOBS + "/" + HOOK + "/status"));
    int namespaceDeleted =
        first(journal, r -> r.method().equals("DELETE") && is(r, WORKSPACE_PATH));
    assertThat(hookCreated).isLessThan(hookFinished).isLessThan(namespaceDeleted);
    assertThat(firstDelete(journal, "/jobs/" + HOOK))
        .as("hook-succeeded: the hook is removed before its namespace goes")
        .isLessThan(namespaceDeleted);
    assertThat(journal)
        .filteredOn(r -> r.method().equals("DELETE") && is(r, WORKSPACE_PATH))
        .as("deleted once")
        .hasSize(1);

    // What the chart put in the Namespace went in its own phases, RBAC last, before the hook.
    int configMapDeleted = firstDelete(journal, "/configmaps/" + NAME + "-settings");
    int bindingDeleted = firstDelete(journal, "/rolebindings/" + NAME + "-worker");
    int roleDeleted = firstDelete(journal, "/roles/" + NAME + "-worker");
    int accountDeleted = firstDelete(journal, "/serviceaccounts/" + NAME + "-worker");
    int recordRemoved = firstDelete(journal, "/secrets/sh.helm.release.v1." + NAME + ".v1");
    assertThat(configMapDeleted)
        .isLessThan(bindingDeleted)
        .isLessThan(roleDeleted)
        .isLessThan(accountDeleted)
        .isLessThan(recordRemoved)
        .isLessThan(hookCreated);

    int namespaceReleased = last(journal, r -> r.method().equals("PATCH") && is(r, WORKSPACE_PATH));
    int finalizerRemoved =
        last(
            journal,
            r -> r.path().contains("/orderedreleases/" + NAME) && !r.method().equals("GET"));
    assertThat(finalizerRemoved)
        .as("the finalizer went only once the Namespace was gone")
        .isGreaterThan(namespaceReleased);
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
    assertThat(scenario.harness.client().namespaces().withName(WORKSPACE).get()).isNull();
  }

  @Test
  void theNamespacesPhaseHasATimeoutOfItsOwnFromItsStart() {
    scenario.installChart(CHART, r -> r.getSpec().getUninstall().setHookTimeout("30m"));
    scenario.hold(workspace());

    scenario.delete();
    OrderedRelease hookRunning =
        scenario.awaitRelease(r -> phase(r, TeardownPhase.PostDeleteHooks) && hookExists());
    Instant objectPhasesDeadline =
        Instant.parse(hookRunning.getStatus().getTeardown().getDeadline());

    // The hook runs past the deadline the object phases shared, within its own timeout.
    clock.advance(Duration.ofMinutes(11));
    scenario.simulator.completeJob(WORKSPACE, HOOK);
    OrderedRelease waiting =
        scenario.awaitRelease(r -> phase(r, TeardownPhase.Namespaces) && workspaceTerminating());
    TeardownStatus teardown = waiting.getStatus().getTeardown();
    assertThat(Instant.parse(teardown.getDeadline()))
        .isEqualTo(Instant.parse(teardown.getPhaseStartedAt()).plus(Duration.ofMinutes(10)))
        .isAfter(objectPhasesDeadline);
    assertThat(hasCondition(waiting, "Stalled", "True", null)).isFalse();

    // Bounded all the same: past its own deadline it stalls, naming what is still there.
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    scenario.poke();
    OrderedRelease stalled =
        scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "PhaseTimedOut"));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("Namespaces did not finish within spec.uninstall.timeout")
        .contains("Namespace " + WORKSPACE);

    // It keeps waiting: the Namespace going at last lets the teardown finish.
    scenario.release(workspace());
    scenario.awaitGone();
  }

  private Namespace workspace() {
    return scenario.harness.client().namespaces().withName(WORKSPACE).get();
  }

  private boolean workspaceTerminating() {
    Namespace namespace = workspace();
    return namespace != null && namespace.getMetadata().getDeletionTimestamp() != null;
  }

  private boolean hookExists() {
    return scenario.harness.client().batch().v1().jobs().inNamespace(WORKSPACE).withName(HOOK).get()
        != null;
  }

  private static boolean is(ApiRequest request, String path) {
    int query = request.path().indexOf('?');
    return (query < 0 ? request.path() : request.path().substring(0, query)).equals(path);
  }
}
