package dev.orderly.cli;

import static dev.orderly.cli.UninstallScenario.NS;
import static dev.orderly.cli.UninstallScenario.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.sim.PodTermination;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code orderly uninstall} of the node-agent example installed with helm-java, no operator: the
 * phases in order with RBAC kept for every DaemonSet pod, the progress it prints (text and JSON
 * Lines), Ctrl-C and resuming without running the pre-delete hook again, the refusal of a release
 * an OrderedRelease manages, and {@code --dry-run}.
 */
class UninstallCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PHASES =
      List.of(
          "PreDeleteHooks",
          "CustomResources",
          "Admission",
          "DaemonSets",
          "Workloads",
          "ConfigAndNetwork",
          "Rbac",
          "Release",
          "PostDeleteHooks",
          "Namespaces");

  private UninstallScenario scenario;

  @BeforeEach
  void start() {
    scenario = new UninstallScenario().install();
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void tearsDownInPhaseOrderKeepingRbacForEveryDaemonSetPodAndPrintsEachPhase() {
    scenario.operatorManagedDaemonSet(
        NS, "agent-extra", Map.of("app.kubernetes.io/instance", RELEASE));
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < PHASES.size(); i++) {
      expected.add("phase " + (i + 1) + "/10 " + PHASES.get(i) + ": started");
      expected.add("phase " + (i + 1) + "/10 " + PHASES.get(i) + ": finished in ");
    }
    assertThat(run.out())
        .contains("uninstalling release agent in namespace agents (kubeconfig ")
        .containsSubsequence(expected)
        .contains("still terminating")
        .contains("release agent uninstalled in ");

    List<PodTermination> terminations = scenario.simulator.terminations();
    assertThat(terminations)
        .as("both DaemonSets' pods, the chart's and the operator-made one's")
        .hasSize(4)
        .allSatisfy(t -> assertThat(t.sawItsRbac()).as(t.pod()).isTrue());
    List<ApiRequest> writes = scenario.writes();
    int lastDaemonSetPodGone = lastIndex(writes, r -> r.path().contains("/pods/agent-"));
    int firstRbacDelete =
        firstIndex(
            writes,
            r ->
                r.method().equals("DELETE")
                    && (r.path().contains("/serviceaccounts/")
                        || r.path().contains("/clusterroles")));
    assertThat(firstRbacDelete)
        .as("no RBAC object was deleted while a DaemonSet pod existed")
        .isGreaterThan(lastDaemonSetPodGone);
    assertNothingLeft();
  }

  @Test
  void jsonEventsAreOnePerLineAndNameEveryPhase() throws Exception {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS, "-o", "json");

    assertThat(run.exitCode()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      events.add(JSON.readTree(line));
    }
    assertThat(events).allSatisfy(e -> assertThat(e.get("time").asText()).isNotBlank());
    assertThat(events.get(0).get("event").asText()).isEqualTo("start");
    assertThat(events.get(0).get("resumed").asBoolean()).isFalse();
    assertThat(events.stream().filter(e -> e.get("event").asText().equals("phaseStarted")))
        .extracting(e -> e.get("phase").asText())
        .containsExactlyElementsOf(PHASES);
    assertThat(events.stream().filter(e -> e.get("event").asText().equals("phaseFinished")))
        .extracting(e -> e.get("phase").asText())
        .containsExactlyElementsOf(PHASES);
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("event").asText()).isEqualTo("podsTerminating");
              assertThat(e.get("phase").asText()).isEqualTo("DaemonSets");
              assertThat(e.get("count").asInt()).isPositive();
            });
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("event").asText()).isEqualTo("waiting");
              assertThat(e.get("message").asText()).contains("Job agents/agent-drain");
            });
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("event").asText()).isEqualTo("done");
    assertThat(last.get("exitCode").asInt()).isZero();
    assertNothingLeft();
  }

  @Test
  void ctrlCInDaemonSetsStopsWith130AndTheSameCommandResumesWithoutRunningTheHookAgain()
      throws Exception {
    scenario.simulator.completeJobsAutomatically(true);

    CliRun first =
        scenario.uninstall(
            java.time.Clock.systemUTC(),
            null,
            line -> line.contains("still terminating") && !line.contains(" 0 pods"),
            RELEASE,
            "-n",
            NS);

    assertThat(first.exitCode()).isEqualTo(130);
    String resume = "orderly uninstall agent -n agents --kubeconfig " + scenario.kubeconfig;
    assertThat(first.out())
        .contains("interrupted in phase DaemonSets; progress is kept on the cluster. To resume: ")
        .contains(resume);
    assertThat(scenario.ledgerExists()).isTrue();
    assertThat(scenario.client().serviceAccounts().inNamespace(NS).withName("agent-agent").get())
        .as("RBAC stays while the DaemonSet pods terminate")
        .isNotNull();
    assertThat(scenario.jobsCreated("agent-drain")).isEqualTo(1);

    scenario.simulator.terminatePodsAtOnce(true);
    CliRun second = scenario.uninstall(RELEASE, "-n", NS, "-o", "json");

    assertThat(second.exitCode()).isZero();
    JsonNode start = JSON.readTree(second.out().lines().findFirst().orElseThrow());
    assertThat(start.get("resumed").asBoolean()).isTrue();
    assertThat(start.get("phase").asText()).isEqualTo("DaemonSets");
    assertThat(second.out()).doesNotContain("\"phase\":\"PreDeleteHooks\"");
    assertThat(scenario.jobsCreated("agent-drain"))
        .as("the finished pre-delete hook did not run again")
        .isEqualTo(1);
    assertThat(scenario.simulator.terminations())
        .allSatisfy(t -> assertThat(t.sawItsRbac()).as(t.pod()).isTrue());
    assertNothingLeft();
  }

  @Test
  void aProgressSecretDeletedDuringTheRunIsWrittenAgainSoAResumeNeverRunsTheHookTwice() {
    scenario.simulator.completeJobsAutomatically(true);
    AtomicBoolean deleted = new AtomicBoolean();

    CliRun first =
        scenario.uninstall(
            java.time.Clock.systemUTC(),
            null,
            line -> {
              if (line.contains("still terminating") && deleted.compareAndSet(false, true)) {
                scenario
                    .client()
                    .secrets()
                    .inNamespace(NS)
                    .withName(RELEASE + ".orderly-uninstall")
                    .delete();
                scenario.simulator.terminatePodsAtOnce(true);
              }
              return line.contains("(ProgressSecretRecreated)");
            },
            RELEASE,
            "-n",
            NS);

    assertThat(deleted).isTrue();
    assertThat(first.exitCode()).as(first.out() + first.err()).isEqualTo(130);
    assertThat(first.out())
        .contains(
            "warning (ProgressSecretRecreated): Secret agents/agent.orderly-uninstall was deleted"
                + " during this run; written again from this run's progress");
    assertThat(scenario.ledgerExists()).isTrue();

    CliRun second = scenario.uninstall(RELEASE, "-n", NS, "-o", "json");

    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).doesNotContain("\"phase\":\"PreDeleteHooks\"");
    assertThat(scenario.jobsCreated("agent-drain"))
        .as("the finished pre-delete hook did not run again")
        .isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void aReleaseAnOrderedReleaseManagesIsRefusedAndNothingIsTouched() {
    OrderedRelease owner = new OrderedRelease();
    owner.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("agent-owner").build());
    owner = scenario.client().resource(owner).create();
    Secret record = releaseRecord();
    record
        .getMetadata()
        .getLabels()
        .put(ReleaseOwnership.OWNER_UID_LABEL, owner.getMetadata().getUid());
    record
        .getMetadata()
        .setAnnotations(Map.of(ReleaseOwnership.OWNER_ANNOTATION, NS + "/agent-owner"));
    scenario.client().resource(record).update();
    int before = scenario.writes().size();

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("(ManagedByOrderedRelease)")
        .contains("Helm release agents/agent is managed by OrderedRelease agents/agent-owner")
        .contains(
            "Delete the OrderedRelease instead (kubectl delete orderedrelease agent-owner -n"
                + " agents)");
    assertThat(scenario.writes()).as("nothing was changed").hasSize(before);
    assertThat(scenario.ledgerExists()).isFalse();
  }

  @Test
  void aReleaseWhoseOrderedReleaseIsGoneIsTornDown() {
    Secret record = releaseRecord();
    record.getMetadata().getLabels().put(ReleaseOwnership.OWNER_UID_LABEL, "0000-gone");
    record.getMetadata().setAnnotations(Map.of(ReleaseOwnership.OWNER_ANNOTATION, NS + "/gone"));
    scenario.client().resource(record).update();
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertNothingLeft();
  }

  @Test
  void dryRunPrintsThePlanFromTheClusterAndTouchesNothing() {
    int before = scenario.writes().size();

    CliRun run = scenario.uninstall(RELEASE, "-n", NS, "--dry-run");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("Teardown plan for release agent in namespace agents\n")
        .containsSubsequence("1. PreDeleteHooks", "agent-drain", "4. DaemonSets", "agent-agent");
    assertThat(scenario.writes()).as("nothing was changed").hasSize(before);
    assertThat(scenario.jobsCreated("agent-drain")).isZero();
  }

  @Test
  void aReleaseThatIsNotThereEndsWithStatus1() {
    CliRun run = scenario.uninstall("nothing", "-n", NS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("(ReleaseNotFound): no Helm release nothing in namespace agents");
  }

  @Test
  void aDaemonSetPodThatNeverStopsFailsThePhaseAtTheTimeoutNamingIt() {
    MutableClock clock = MutableClock.startingNow();
    scenario.simulator.neverStop("agent-agent");

    CliRun run =
        scenario.uninstall(
            clock, clock, line -> false, RELEASE, "-n", NS, "--no-hooks", "--timeout", "1m");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("orderly uninstall: failed in phase DaemonSets (PhaseTimedOut)")
        .contains("DaemonSet agents/agent-agent")
        .contains("fix the cause, then run the same command to go on: orderly uninstall agent");
    assertThat(scenario.client().serviceAccounts().inNamespace(NS).withName("agent-agent").get())
        .isNotNull();
    assertThat(scenario.ledgerExists()).as("kept for the next run").isTrue();
  }

  @Test
  void aRefusedDeleteStopsWith1NamingPhaseObjectAndWhyAndTheSameCommandFinishesOnceFixed() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    var refusal =
        scenario
            .server
            .faults()
            .answerUntilCleared("DELETE", "/api/v1/namespaces/agents/configmaps/agent-config", 403);

    CliRun first = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(first.err())
        .contains("orderly uninstall: failed in phase ConfigAndNetwork (DeleteRefused)")
        .contains("ConfigMap agents/agent-config")
        .contains("403")
        .contains("fix the cause, then run the same command to go on: orderly uninstall agent");
    assertThat(scenario.client().serviceAccounts().inNamespace(NS).withName("agent-agent").get())
        .as("nothing of a later phase is deleted")
        .isNotNull();

    refusal.clear();
    CliRun second = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("in phase ConfigAndNetwork");
    assertThat(scenario.jobsCreated("agent-drain")).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void aTransientApiErrorIsRetriedAndSaid() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    scenario
        .server
        .faults()
        .answer("DELETE", "/apis/apps/v1/namespaces/agents/daemonsets/agent-agent", 503, 2);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("warning (TransientApiError): retrying: ");
    assertNothingLeft();
  }

  @Test
  void transientErrorsSavingProgressAreRetried() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    // The first try of every update of the progress Secret fails: saves before acting within a
    // look and saves between phases alike.
    String ledger =
        "/api/v1/namespaces/"
            + NS
            + "/secrets/"
            + dev.orderly.teardown.TeardownLedger.uninstallSecretName(RELEASE);
    var fault = scenario.server.faults().answerEveryOther("PUT", ledger, 503, 1000);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(fault.hits()).as("saves that failed once").isGreaterThan(5);
    assertThat(run.out()).contains("warning (TransientApiError): retrying");
    assertNothingLeft();
  }

  @Test
  void aRefusedReadMidTeardownStopsWith1SavingProgressNamingPhaseRequestAndWhyAndResumes()
      throws Exception {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    var refusal =
        scenario
            .server
            .faults()
            .answerUntilCleared(
                "GET", "/apis/apps/v1/namespaces/agents/daemonsets/agent-agent", 403);

    CliRun first = scenario.uninstall(RELEASE, "-n", NS, "-o", "json");

    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    assertThat(first.err()).isEmpty();
    List<String> lines = first.out().lines().toList();
    JsonNode failed = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(failed.get("event").asText()).isEqualTo("failed");
    assertThat(failed.get("phase").asText()).isEqualTo("DaemonSets");
    assertThat(failed.get("reason").asText()).isEqualTo("ApiError");
    assertThat(failed.get("message").asText())
        .contains("GET /apis/apps/v1/namespaces/agents/daemonsets/agent-agent")
        .contains("the API server answered 403")
        .contains("progress is saved in Secret agents/agent.orderly-uninstall");
    assertThat(failed.get("objects").get(0).asText())
        .isEqualTo("GET /apis/apps/v1/namespaces/agents/daemonsets/agent-agent");
    assertThat(failed.get("resume").asText()).startsWith("orderly uninstall agent -n agents");
    assertThat(failed.get("exitCode").asInt()).isEqualTo(1);
    assertThat(scenario.ledgerExists()).isTrue();
    assertThat(scenario.client().serviceAccounts().inNamespace(NS).withName("agent-agent").get())
        .as("nothing of a later phase is deleted")
        .isNotNull();

    refusal.clear();
    CliRun second = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("resuming the uninstall of release agent");
    assertThat(scenario.jobsCreated("agent-drain"))
        .as("the finished pre-delete hook did not run again")
        .isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void aRefusedLedgerUpdateStopsWith1AsTextSayingTheProgressCouldNotBeSaved() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    scenario
        .server
        .faults()
        .answerUntilCleared(
            "PUT", "/api/v1/namespaces/agents/secrets/agent.orderly-uninstall", 403);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("orderly uninstall: failed in phase PreDeleteHooks (ApiError): ")
        .contains("PUT /api/v1/namespaces/agents/secrets/agent.orderly-uninstall: the API server")
        .contains("answered 403")
        .contains("the kubeconfig's user lacks that permission")
        .contains("progress could not be saved")
        .contains("fix the cause, then run the same command to go on: orderly uninstall agent");
    assertThat(scenario.jobsCreated("agent-drain"))
        .as("no hook runs before its intent is saved")
        .isZero();
  }

  @Test
  void tooManyTransientErrorsInARowStopWith1AndResume() {
    MutableClock clock = MutableClock.startingNow();
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    var outage =
        scenario
            .server
            .faults()
            .answerUntilCleared(
                "GET", "/apis/apps/v1/namespaces/agents/daemonsets/agent-agent", 503);

    CliRun first = scenario.uninstall(clock, clock, line -> false, RELEASE, "-n", NS);

    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    assertThat(first.out()).contains("warning (TransientApiError): retrying: ");
    assertThat(first.err())
        .contains(
            "orderly uninstall: failed in phase DaemonSets (ApiError): 6 transient API errors")
        .contains(
            "in a row, the last: GET /apis/apps/v1/namespaces/agents/daemonsets/agent-agent: the"
                + " API server answered 503")
        .contains("fix the cause, then run the same command to go on: orderly uninstall agent");
    assertThat(outage.hits())
        .as("the simulator's controllers may ask too; the command asked six times")
        .isGreaterThanOrEqualTo(6);

    outage.clear();
    CliRun second = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertNothingLeft();
  }

  @Test
  void aRefusedReadBeforeAnythingStartedEndsWith1NotAsAConnectionError() {
    scenario
        .server
        .faults()
        .answerUntilCleared(
            "GET", "/api/v1/namespaces/agents/secrets/agent.orderly-uninstall", 403);
    int before = scenario.writes().size();

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("orderly uninstall: failed (ApiError): GET /api/v1/namespaces/agents/secrets/")
        .contains("answered 403");
    assertThat(scenario.writes()).as("nothing was changed").hasSize(before);
  }

  @Test
  void rejectedCredentialsBeforeAnythingStartedStayAConnectionErrorWithStatus2() {
    scenario
        .server
        .faults()
        .answerUntilCleared(
            "GET", "/api/v1/namespaces/agents/secrets/agent.orderly-uninstall", 401);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("orderly uninstall: cannot uninstall release agent in namespace agents")
        .contains("the kubeconfig's credentials were not accepted");
  }

  @Test
  void progressOfAnEarlierInstallationIsNotReplayedAndTheMessageSaysWhatToDelete() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    var refusal =
        scenario
            .server
            .faults()
            .answerUntilCleared(
                "GET", "/apis/apps/v1/namespaces/agents/daemonsets/agent-agent", 403);
    assertThat(scenario.uninstall(RELEASE, "-n", NS).exitCode()).isEqualTo(1);
    refusal.clear();
    assertThat(scenario.ledgerExists()).isTrue();
    // helm uninstall, then helm install of the same name: a new record, with a new uid.
    Secret old = releaseRecord();
    scenario.client().resource(old).delete();
    old.getMetadata().setUid(null);
    old.getMetadata().setResourceVersion(null);
    old.getMetadata().setCreationTimestamp(null);
    Secret reinstalled = scenario.client().resource(old).create();
    assertThat(reinstalled.getMetadata().getUid()).isNotEqualTo(old.getMetadata().getUid());
    int before = scenario.writes().size();

    CliRun refused = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("(StaleUninstallProgress)")
        .contains(
            "Secret agents/agent.orderly-uninstall holds the progress of an earlier uninstall")
        .contains("Secret agents/sh.helm.release.v1.agent.v1, is newer")
        .contains("kubectl delete secret agent.orderly-uninstall -n agents");
    assertThat(scenario.writes()).as("nothing was changed").hasSize(before);
    assertThat(scenario.ledgerExists()).isTrue();

    scenario.client().secrets().inNamespace(NS).withName("agent.orderly-uninstall").delete();
    CliRun afresh = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(afresh.exitCode()).as(afresh.err()).isZero();
    assertThat(afresh.out()).contains("uninstalling release agent");
    assertNothingLeft();
  }

  @Test
  void aReleaseAnOrderedReleaseNamesInItsStatusIsRefusedWithoutTheOwnerMarker() {
    scenario
        .client()
        .resource(new NamespaceBuilder().withNewMetadata().withName("ops").endMetadata().build())
        .create();
    OrderedRelease owner = new OrderedRelease();
    owner.setMetadata(new ObjectMetaBuilder().withNamespace("ops").withName("agents").build());
    owner = scenario.client().resource(owner).create();
    ReleaseStatus named = new ReleaseStatus();
    named.setName(RELEASE);
    named.setNamespace(NS);
    owner.setStatus(new OrderedReleaseStatus());
    owner.getStatus().setRelease(named);
    scenario.client().resource(owner).updateStatus();
    assertThat(releaseRecord().getMetadata().getLabels())
        .doesNotContainKey(ReleaseOwnership.OWNER_UID_LABEL);
    int before = scenario.writes().size();

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("(ManagedByOrderedRelease)")
        .contains(
            "Helm release agents/agent is managed by OrderedRelease ops/agents (its status.release"
                + " names this release)")
        .contains("kubectl delete orderedrelease agents -n ops");
    assertThat(scenario.writes()).as("nothing was changed").hasSize(before);
  }

  @ParameterizedTest
  @ValueSource(ints = {403, 404})
  void orderedReleasesThatCannotBeListedDoNotStopTheUninstall(int code) {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
    var fault =
        scenario
            .server
            .faults()
            .answerUntilCleared(
                "GET",
                "/apis/" + OrderedRelease.GROUP + "/" + OrderedRelease.VERSION + "/orderedreleases",
                code);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(fault.hits()).isPositive();
    assertNothingLeft();
  }

  private Secret releaseRecord() {
    return scenario
        .client()
        .secrets()
        .inNamespace(NS)
        .withName("sh.helm.release.v1.agent.v1")
        .get();
  }

  private void assertNothingLeft() {
    var client = scenario.client();
    assertThat(client.apps().daemonSets().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace(NS).withName("agent-config").get()).isNull();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("agent-agent").get()).isNull();
    assertThat(client.rbac().clusterRoles().withName("agent-agent").get()).isNull();
    assertThat(client.rbac().clusterRoleBindings().withName("agent-agent").get()).isNull();
    assertThat(client.secrets().inNamespace(NS).list().getItems())
        .as("Helm's record and the ledger are gone")
        .isEmpty();
  }

  private static int firstIndex(
      List<ApiRequest> requests, java.util.function.Predicate<ApiRequest> p) {
    return IntStream.range(0, requests.size())
        .filter(i -> p.test(requests.get(i)))
        .findFirst()
        .orElse(-1);
  }

  private static int lastIndex(
      List<ApiRequest> requests, java.util.function.Predicate<ApiRequest> p) {
    return IntStream.range(0, requests.size())
        .filter(i -> p.test(requests.get(i)))
        .reduce((a, b) -> b)
        .orElse(-1);
  }
}
