package dev.orderly.cli;

import static dev.orderly.cli.UninstallScenario.NS;
import static dev.orderly.cli.UninstallScenario.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each teardown flag of {@code orderly uninstall} on the node-agent example installed with
 * helm-java: it does what the matching spec.uninstall option does for the operator.
 */
class UninstallFlagsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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
  void noHooksRunsNoHook() {
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS, "--no-hooks");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(scenario.jobsCreated("agent-drain")).isZero();
    assertThat(scenario.client().apps().daemonSets().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void keepHistoryKeepsHelmsRecordMarkedUninstalled() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS, "--keep-history");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Secret record =
        scenario.client().secrets().inNamespace(NS).withName("sh.helm.release.v1.agent.v1").get();
    assertThat(record).isNotNull();
    assertThat(record.getMetadata().getLabels()).containsEntry("status", "uninstalled");
    assertThat(scenario.ledgerExists()).isFalse();
    assertThat(scenario.client().serviceAccounts().inNamespace(NS).withName("agent-agent").get())
        .isNull();
  }

  @Test
  void cascadeForegroundByDefaultAndBackgroundWhenAskedWithAWarning() {
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run = scenario.uninstall(RELEASE, "-n", NS, "--cascade", "background");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("warning (BackgroundCascade): --cascade background");
    List<ApiRequest> deletes =
        scenario.writes().stream()
            .filter(r -> r.method().equals("DELETE") && r.path().contains("/daemonsets/"))
            .toList();
    assertThat(deletes)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.body()).contains("\"propagationPolicy\":\"Background\""));

    assertThat(UninstallArgs.parse(Arguments.parse(new String[] {"x"})).cascade())
        .as("the default")
        .hasToString("Foreground");
  }

  @Test
  void daemonSetsSelectorTakesDaemonSetsOutsideTheChartDownWithItsRbacKept() {
    scenario
        .client()
        .resource(new NamespaceBuilder().withNewMetadata().withName("extras").endMetadata().build())
        .create();
    scenario.operatorManagedDaemonSet("extras", "probe", Map.of("made-by", "agent-operator"));
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run =
        scenario.uninstall(
            RELEASE, "-n", NS, "--daemonsets-selector", "extras/made-by=agent-operator");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(scenario.client().apps().daemonSets().inNamespace("extras").list().getItems())
        .isEmpty();
    assertThat(scenario.simulator.terminations())
        .filteredOn(t -> t.pod().contains("probe"))
        .hasSize(2);
    List<ApiRequest> writes = scenario.writes();
    int probeDeleted = indexOf(writes, "DELETE", "/namespaces/extras/daemonsets/probe");
    assertThat(probeDeleted).as("deleted in the DaemonSets phase").isNotNegative();
    assertThat(probeDeleted)
        .isLessThan(indexOf(writes, "DELETE", "/deployments/agent-controller"))
        .isLessThan(indexOf(writes, "DELETE", "/serviceaccounts/agent-agent"));
  }

  private static int indexOf(List<ApiRequest> requests, String method, String path) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).method().equals(method) && requests.get(i).path().contains(path)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void hookTimeoutFailsThePreDeleteHooksPhaseNamingTheJobAsAJsonEvent() throws Exception {
    MutableClock clock = MutableClock.startingNow();

    CliRun run =
        scenario.uninstall(
            clock, clock, line -> false, RELEASE, "-n", NS, "--hook-timeout", "1m", "-o", "json");

    assertThat(run.exitCode()).isEqualTo(1);
    List<String> lines = run.out().lines().toList();
    JsonNode failed = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(failed.get("event").asText()).isEqualTo("failed");
    assertThat(failed.get("phase").asText()).isEqualTo("PreDeleteHooks");
    assertThat(failed.get("exitCode").asInt()).isEqualTo(1);
    assertThat(failed.get("message").asText()).contains("Job agents/agent-drain");
    assertThat(failed.get("resume").asText()).startsWith("orderly uninstall agent -n agents");
    assertThat(scenario.client().apps().daemonSets().inNamespace(NS).list().getItems())
        .as("nothing of the chart is deleted while the hook has not succeeded")
        .hasSize(1);
  }

  @Test
  void onTimeoutContinueGoesOnPastAHookThatRunsTooLong() {
    MutableClock clock = MutableClock.startingNow();
    scenario.simulator.terminatePodsAtOnce(true);

    CliRun run =
        scenario.uninstall(
            clock,
            clock,
            line -> false,
            RELEASE,
            "-n",
            NS,
            "--hook-timeout",
            "1m",
            "--on-timeout",
            "continue");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("warning (").contains("agent-drain");
    assertThat(run.out()).contains("release agent uninstalled");
  }

  @Test
  void contextChoosesTheKubeconfigsContext() throws Exception {
    Path kubeconfig =
        Files.writeString(
            scenario.kubeconfig.resolveSibling("two-contexts"),
            scenario
                .server
                .kubeconfig()
                .replace("current-context: orderly-test", "current-context: elsewhere")
                .replace(
                    "contexts:\n",
                    "contexts:\n- name: elsewhere\n  context:\n    cluster: nowhere\n    user:"
                        + " orderly-test\n")
                .replace(
                    "clusters:\n",
                    "clusters:\n- name: nowhere\n  cluster:\n    server: http://127.0.0.1:1\n"));

    CliRun chosen =
        scenario.uninstallAsGiven(
            RELEASE,
            "-n",
            NS,
            "--dry-run",
            "--kubeconfig",
            kubeconfig.toString(),
            "--context",
            "orderly-test");
    CliRun current =
        scenario.uninstallAsGiven(
            RELEASE, "-n", NS, "--dry-run", "--kubeconfig", kubeconfig.toString());
    CliRun missing =
        scenario.uninstallAsGiven(
            RELEASE,
            "-n",
            NS,
            "--dry-run",
            "--kubeconfig",
            kubeconfig.toString(),
            "--context",
            "nope");

    assertThat(chosen.exitCode()).as(chosen.err()).isZero();
    assertThat(chosen.out()).contains("Teardown plan for release agent");
    assertThat(current.exitCode()).isEqualTo(2);
    assertThat(current.err()).contains("context elsewhere, server http://127.0.0.1:1");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no context nope");
  }
}
