package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Two {@code orderly run} processes on one machine, with leader election on as the operator chart
 * runs them, against the real control plane: only one ever leads, so a release is installed once
 * and torn down once; each exits within 10 s of SIGTERM, the standby as well as the leader.
 */
@RequiresControlPlane
class LeadershipE2E extends RealClusterTest {
  private static final String LEASE_NAMESPACE = "orderly-system";
  private static final String LEASE = "orderly-operator";

  /** A JVM start, then the wait for a Lease a dead earlier holder may still hold (15 s). */
  private static final Duration LEADS = Duration.ofSeconds(90);

  private static final Duration EXIT = Duration.ofSeconds(10);
  private static final int SIGTERM_STATUS = 128 + 15;
  private static final Pattern NOW_LEADER = Pattern.compile(" - (\\S+) is now the leader$");

  @Test
  void twoProcessesOnOneMachineNeverBothLeadAndEachExitsSoonAfterSigterm() throws IOException {
    // The suite's operator runs without leader election; it must not reconcile beside the two.
    operator.stop();
    try (OperatorProcess a = replica("replica-a");
        OperatorProcess b = replica("replica-b")) {
      a.launch();
      b.launch();
      Awaitility.await("one of the replicas leads; see " + a.log() + " and " + b.log())
          .atMost(LEADS)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> leading(a).isPresent() || leading(b).isPresent());
      OperatorProcess leader = leading(a).isPresent() ? a : b;
      OperatorProcess standby = leader == a ? b : a;
      String identity = leading(leader).orElseThrow();
      // Having seen the Lease held by another identity, the standby only retries in vain; with the
      // same identity (the hostname alone, as before) it would have led at once.
      standby.awaitLogLine(l -> l.endsWith(" - The leader is " + identity), LEADS);
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(identity);

      Instant installed = Instant.now();
      String ns = namespace("e2e-lead");
      installNodeAgent(ns, "agent");
      releases().inNamespace(ns).withName("agent").delete();
      awaitGone(ns, "agent", Duration.ofMinutes(2));

      assertThat(leading(standby)).as("the standby led too").isEmpty();
      List<Entry> recordWrites =
          plane
              .audit()
              .matching(
                  installed,
                  e ->
                      e.resource().equals("secrets")
                          && e.namespace().equals(ns)
                          && e.name().startsWith("sh.helm.release.v1.agent.")
                          && e.verb().equals("create")
                          && e.succeeded());
      assertThat(recordWrites)
          .as("Helm's record written once: one install, by one leader")
          .extracting(Entry::name)
          .containsExactly("sh.helm.release.v1.agent.v1");

      standby.terminate();
      assertThat(standby.awaitExit(EXIT)).as("the standby's exit status").isEqualTo(SIGTERM_STATUS);
      assertThat(leader.alive()).as("the leader runs on").isTrue();
      leader.terminate();
      assertThat(leader.awaitExit(EXIT)).as("the leader's exit status").isEqualTo(SIGTERM_STATUS);
      for (OperatorProcess replica : List.of(leader, standby)) {
        assertThat(replica.logLines())
            .as("%s logs its stop, with no stack trace", replica.log())
            .anyMatch(l -> l.endsWith(" - Orderly stopped"))
            .noneMatch(l -> l.startsWith("\tat "));
      }
    } finally {
      operator.ensureRunning();
    }
  }

  private OperatorProcess replica(String name) throws IOException {
    // Its log is appended to across starts; an earlier run's lines would say who led then.
    Files.deleteIfExists(work.resolve(name + ".log"));
    return new OperatorProcess(
            OperatorProcess.builtJar(), operatorKubeconfig, work, name, List.of())
        .withLeaderElection();
  }

  /** The identity with which the replica took the Lease, if it did. */
  private static Optional<String> leading(OperatorProcess replica) {
    return replica.logLines().stream()
        .map(NOW_LEADER::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .findFirst();
  }

  private Lease lease() {
    return admin.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).get();
  }
}
