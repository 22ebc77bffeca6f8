package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.e2e.AuditLog.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The operator process is killed with SIGKILL in the middle of each phase of one teardown and
 * started again: the teardown resumes from status with the order intact, no hook run twice and
 * nothing deleted twice, and every pod still authorised at its preStop.
 */
@RequiresControlPlane
class HardKillE2E extends RealClusterTest {

  @Test
  void killedInEveryPhaseTheTeardownResumesWithoutRepeatingAnything() {
    String ns = namespace("e2e-kill");
    // Long enough for a kill and a restart to land inside each phase.
    nodes.preStop(pod -> Duration.ofSeconds(8));
    nodes.endingJobPods(pod -> new NodeStandIn.JobPodEnd(true, Duration.ofSeconds(10)));
    installNodeAgent(ns, "agent-kill");
    Instant deleted = Instant.now();

    releases().inNamespace(ns).withName("agent-kill").delete();
    for (TeardownPhase phase :
        List.of(TeardownPhase.PreDeleteHooks, TeardownPhase.DaemonSets, TeardownPhase.Workloads)) {
      awaitPhase(ns, "agent-kill", phase);
      operator.kill();
      operator.start();
    }
    awaitGone(ns, "agent-kill", Duration.ofMinutes(3));

    assertThat(operator.starts()).isEqualTo(4);
    List<Entry> audit = plane.audit().since(deleted);
    List<Entry> byOperator =
        audit.stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER) && e.succeeded())
            .toList();
    long hookRuns =
        byOperator.stream()
            .filter(e -> e.verb().equals("create") && e.resource().equals("jobs"))
            .count();
    assertThat(hookRuns).as("the pre-delete hook ran once").isEqualTo(1);
    Map<String, Long> deletes =
        byOperator.stream()
            .filter(Entry::isDelete)
            .filter(e -> !e.resource().equals("secrets") && !e.resource().equals("jobs"))
            .collect(
                Collectors.groupingBy(e -> e.resource() + " " + e.name(), Collectors.counting()));
    assertThat(deletes)
        .as("objects the operator deleted, each once")
        .isNotEmpty()
        .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));

    List<NodeStandIn.ProbeResult> probes =
        nodes.probes().stream().filter(p -> p.namespace().equals(ns)).toList();
    assertThat(probes).hasSizeGreaterThanOrEqualTo(3).allMatch(NodeStandIn.ProbeResult::authorised);
    Instant lastPodGone =
        audit.stream()
            .filter(e -> e.isDelete() && e.resource().equals("pods") && e.namespace().equals(ns))
            .filter(e -> e.userAgent().startsWith(NodeStandIn.USER_AGENT))
            .map(Entry::completedAt)
            .max(Instant::compareTo)
            .orElseThrow();
    assertThat(byOperator.stream().filter(e -> e.isDelete() && e.isRbac()).map(Entry::completedAt))
        .isNotEmpty()
        .allMatch(at -> at.isAfter(lastPodGone));
    assertThat(admin.rbac().clusterRoles().withName("agent-kill-agent").get()).isNull();
    assertThat(admin.apps().daemonSets().inNamespace(ns).list().getItems()).isEmpty();
  }

  /**
   * The process halts at the exact instants between saving an intent and acting on it, and between
   * acting and saving the outcome (ORDERLY_CRASH_AT). Were status saved only after acting, the
   * restart would delete and re-create the drain Job, or wait forever on a delete never sent.
   */
  @Test
  void haltedBetweenIntentActionAndSaveNoHookRunsTwiceAndNothingIsLost() {
    String ns = namespace("e2e-crash");
    nodes.preStop(pod -> Duration.ofSeconds(1));
    nodes.endingJobPods(pod -> new NodeStandIn.JobPodEnd(true, Duration.ofSeconds(2)));
    installNodeAgent(ns, "agent-crash");
    operator.stop();
    Instant deleted = Instant.now();

    releases().inNamespace(ns).withName("agent-crash").delete();
    for (String crashAt : List.of("after-create-hook", "before-delete", "after-delete#2")) {
      operator.startToCrash(crashAt);
      assertThat(operator.awaitExit(Duration.ofSeconds(90)))
          .as("halted at " + crashAt)
          .isEqualTo(137);
    }
    operator.start();
    awaitGone(ns, "agent-crash", Duration.ofMinutes(3));

    List<Entry> byOperator =
        plane.audit().since(deleted).stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER) && e.succeeded())
            .toList();
    assertThat(
            byOperator.stream()
                .filter(e -> e.verb().equals("create") && e.resource().equals("jobs")))
        .as("the pre-delete hook was created once")
        .hasSize(1);
    Map<String, Long> deletes =
        byOperator.stream()
            .filter(Entry::isDelete)
            .filter(e -> !e.resource().equals("secrets") && !e.resource().equals("jobs"))
            .collect(
                Collectors.groupingBy(e -> e.resource() + " " + e.name(), Collectors.counting()));
    assertThat(deletes).isNotEmpty().allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
    assertThat(nodes.probes().stream().filter(p -> p.namespace().equals(ns)))
        .hasSizeGreaterThanOrEqualTo(3)
        .allMatch(NodeStandIn.ProbeResult::authorised);
    assertThat(admin.rbac().clusterRoles().withName("agent-crash-agent").get()).isNull();
  }

  private void awaitPhase(String ns, String name, TeardownPhase phase) {
    Awaitility.await("teardown in " + phase)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              OrderedRelease release = releases().inNamespace(ns).withName(name).get();
              return release != null
                  && release.getStatus() != null
                  && release.getStatus().getTeardown() != null
                  && release.getStatus().getTeardown().getPhase() == phase;
            });
  }
}
