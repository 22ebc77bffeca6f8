package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orderly run} processes on one machine, with leader election on (the default), against the
 * test API server: two processes have distinct leader identities, so only one leads; each exits
 * within 10 s of SIGTERM, the standby as well as the leader; a leader whose Lease is taken stops
 * and exits with status 1.
 */
class ShutdownAndLeadershipIntegrationTest {
  private static final String LEASE_NAMESPACE = "orderly-system";

  /** Starting a JVM with the operator, on a machine that runs other builds too. */
  private static final Duration STARTED = Duration.ofSeconds(90);

  private static final Duration EXIT = Duration.ofSeconds(10);
  private static final int SIGTERM_STATUS = 128 + 15;
  private static final Pattern LEADS = Pattern.compile(" - (\\S+) is now the leader$");

  @TempDir Path dir;
  private TestApiServer server;
  private KubernetesClient test;
  private Path kubeconfig;
  private final List<OrderlyProcess> processes = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new TestApiServer().start();
    test = OperatorClients.testSide(server);
    OperatorHarness.createCrd(test);
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig());
  }

  @AfterEach
  void stop() {
    processes.forEach(OrderlyProcess::close);
    test.close();
    server.close();
  }

  @Test
  void onlyOneProcessLeadsAndBothExitSoonAfterSigterm() {
    OrderlyProcess a = run("a");
    OrderlyProcess b = run("b");

    await().atMost(STARTED).until(() -> leading(a).isPresent() || leading(b).isPresent());
    OrderlyProcess leader = leading(a).isPresent() ? a : b;
    OrderlyProcess standby = leader == a ? b : a;
    String identity = leading(leader).orElseThrow();
    // Once the standby has seen the Lease held by the other identity, it only retries in vain; with
    // the same identity it would have taken the Lease for its own and led at once.
    standby.awaitLogLine(l -> l.endsWith(" - The leader is " + identity), STARTED);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(identity);
    assertThat(leading(standby)).as("the standby leads too").isEmpty();

    standby.terminate();
    assertThat(standby.awaitExit(EXIT)).as("the standby's exit status").isEqualTo(SIGTERM_STATUS);
    assertThat(leader.alive()).isTrue();
    leader.terminate();
    assertThat(leader.awaitExit(EXIT)).as("the leader's exit status").isEqualTo(SIGTERM_STATUS);

    assertThat(leader.errLines())
        .anyMatch(l -> l.endsWith(identity + " stopped leading, as it is shutting down"))
        .anyMatch(l -> l.endsWith(" - Orderly stopped"));
    assertThat(standby.errLines()).anyMatch(l -> l.endsWith(" - Orderly stopped"));
    for (OrderlyProcess p : List.of(leader, standby)) {
      assertThat(p.errText()).doesNotContain("Exiting.").doesNotContain("\tat ");
    }
  }

  @Test
  void aLeaderWhoseLeaseIsTakenStopsAndExitsWithOne() {
    OrderlyProcess leader = run("leader");
    await().atMost(STARTED).until(() -> leading(leader).isPresent());

    // The leader renews the Lease every 2 s; an edit that races a renewal gets 409 and is retried.
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(
            () ->
                test.leases()
                        .inNamespace(LEASE_NAMESPACE)
                        .withName("orderly-operator")
                        .edit(
                            lease -> {
                              lease.getSpec().setHolderIdentity("another-replica");
                              lease.getSpec().setAcquireTime(ZonedDateTime.now());
                              lease.getSpec().setRenewTime(ZonedDateTime.now());
                              lease.getSpec().setLeaseDurationSeconds(3600);
                              return lease;
                            })
                    != null);

    // The leader sees the new holder at its next renewal, 2 s at most after the edit.
    assertThat(leader.awaitExit(Duration.ofSeconds(30))).as("exit status").isEqualTo(1);
    assertThat(leader.errLines())
        .anyMatch(l -> l.contains(" lost the Lease ") && l.contains("stops reconciling"))
        .anyMatch(l -> l.endsWith(" - Exiting with status 1: the Lease was lost"))
        .anyMatch(l -> l.endsWith(" - Orderly stopped"));
    assertThat(leader.errText()).doesNotContain("\tat ");
  }

  /**
   * An install that waits for its hook cannot be interrupted; the operator gives it a moment and
   * then exits anyway, well within a pod's grace period.
   */
  @Test
  void sigtermDuringTheFirstHelmInstallStillEndsTheProcess() {
    OrderlyProcess operator = run("installing", "--leader-election=false");
    operator.awaitLogLine(l -> l.contains(" - Orderly is running as "), STARTED);
    // Its post-install hook Job never completes here, so Helm waits inside the install.
    test.resource(
            Releases.ofChart(
                "apps", "hooks", Path.of("charts/examples/hook-ordering").toAbsolutePath()))
        .create();
    await()
        .atMost(STARTED)
        .until(
            () ->
                test.batch().v1().jobs().inNamespace("apps").withName("hooks-announce").get()
                    != null);

    operator.terminate();

    assertThat(operator.awaitExit(EXIT)).as("exit status").isEqualTo(SIGTERM_STATUS);
    assertThat(operator.errLines()).anyMatch(l -> l.endsWith(" - Orderly stopped"));
  }

  /** The identity a process logged when it took the Lease, if it did. */
  private static Optional<String> leading(OrderlyProcess process) {
    return process.errLines().stream()
        .map(LEADS::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1))
        .findFirst();
  }

  private OrderlyProcess run(String name, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--kubeconfig",
                kubeconfig.toString(),
                "--metrics-port",
                "0",
                "--work-dir",
                dir.resolve(name).resolve("work").toString(),
                "--allowed-chart-paths",
                Path.of("charts/examples").toAbsolutePath().toString()));
    args.addAll(List.of(more));
    OrderlyProcess process =
        OrderlyProcess.start(
            dir.resolve(name),
            Map.of("POD_NAMESPACE", LEASE_NAMESPACE, "ORDERLY_LOG_LEVEL", "info"),
            args.toArray(String[]::new));
    processes.add(process);
    return process;
  }

  private Lease lease() {
    return test.leases().inNamespace(LEASE_NAMESPACE).withName("orderly-operator").get();
  }
}
