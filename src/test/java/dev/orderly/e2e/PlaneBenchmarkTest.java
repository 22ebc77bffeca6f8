package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.PlaneBenchmark.Gap;
import dev.orderly.e2e.PlaneBenchmark.Request;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real-plane benchmark's reading of the audit log and the operator's metrics. */
class PlaneBenchmarkTest {
  private static final String OPERATOR = ControlPlane.OPERATOR_USER;
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void aGapRunsFromTheLastOutsideWriteToTheOperatorsNextWrite() {
    List<Request> audit =
        List.of(
            write(0, "user", "delete", "orderedreleases", "r"),
            read(100, OPERATOR, "secrets"),
            write(300, OPERATOR, "update", "orderedreleases", "r"),
            // Its own writes one after another are its pace, not a wait.
            write(320, OPERATOR, "delete", "daemonsets", "agent"),
            write(
                900,
                "system:serviceaccount:kube-system:generic-garbage-collector",
                "delete",
                "pods",
                "agent-1"),
            write(1000, "node", "delete", "pods", "agent-2"),
            // Events and Leases are nothing a phase waits for.
            write(1100, "node", "create", "events", "e"),
            write(1400, OPERATOR, "delete", "deployments", "web"));

    List<Gap> gaps = PlaneBenchmark.gaps(audit, OPERATOR);

    assertThat(gaps).extracting(Gap::ms).containsExactly(300L, 400L);
    assertThat(gaps.get(1).waitedFor()).contains("delete pods agent-2");
    assertThat(gaps.get(1).nextAction()).contains("delete apps/deployments web");
  }

  @Test
  void readsSuccessfulReconciliationsFromTheMetrics() {
    String metrics =
        String.join(
            "\n",
            "# HELP orderly_reconciliations_total Reconciliations by outcome.",
            "# TYPE orderly_reconciliations_total counter",
            "orderly_reconciliations_total{outcome=\"failure\",} 2.0",
            "orderly_reconciliations_total{outcome=\"success\",} 117.0");

    assertThat(PlaneBenchmark.reconciled(metrics)).isEqualTo(117);
    assertThat(PlaneBenchmark.reconciled("")).isZero();
  }

  private static Request write(long ms, String user, String verb, String resource, String name) {
    String group = resource.equals("daemonsets") || resource.equals("deployments") ? "apps" : "";
    return new Request(
        T0.plusMillis(ms), user, "fabric8", verb, group, resource, "", "ns", name, 200, "/x");
  }

  private static Request read(long ms, String user, String resource) {
    return new Request(
        T0.plusMillis(ms), user, "fabric8", "get", "", resource, "", "ns", "", 200, "/x");
  }
}
