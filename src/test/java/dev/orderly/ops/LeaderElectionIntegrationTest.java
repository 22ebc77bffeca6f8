package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas compete for the Lease {@code orderly-operator}: only the leader reconciles, the
 * standby stays ready without acting, and it takes over once the leader stops renewing the Lease.
 */
class LeaderElectionIntegrationTest {
  private static final String LEASE_NAMESPACE = "orderly-system";
  private static final String NS = "agents";

  /**
   * JOSDK's default timings (the operator sets no others): the Lease lasts 15 s after its last
   * renewal, and the standby retries every 2 s plus up to 120% jitter, so it takes over some 15 to
   * 20 s after the leader stops; the bound leaves room for a loaded machine.
   */
  private static final Duration TAKEOVER = Duration.ofSeconds(60);

  private TestApiServer server;
  private KubernetesClient test;
  private final List<OperatorReplica> replicas = new ArrayList<>();
  // Rolls the chart's workloads out, so installs become Ready as on a cluster.
  private ClusterSimulator simulator;

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    test = OperatorClients.testSide(server);
    OperatorHarness.createCrd(test);
    simulator = new ClusterSimulator(test, 2).start();
  }

  @AfterEach
  void stop() {
    replicas.forEach(OperatorReplica::close);
    simulator.close();
    test.close();
    server.close();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenTheLeaderStops() {
    OperatorReplica a = replica("orderly-a");
    OperatorReplica b = replica("orderly-b");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> a.leading() || b.leading());
    OperatorReplica leader = a.leading() ? a : b;
    OperatorReplica standby = leader == a ? b : a;
    assertThat(standby.leading()).as("both replicas lead").isFalse();
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader.name());
    await().atMost(OperatorHarness.TIMEOUT).until(() -> leader.ready() && standby.ready());

    test.resource(Releases.nodeAgent(NS, "first")).create();
    Releases.awaitReady(test, NS, "first", "InstallSucceeded");

    assertThat(standby.leading()).isFalse();
    assertThat(Releases.events(test, NS, "first"))
        .as("Events about the first release")
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getReportingInstance()).isEqualTo(leader.name()))
        .filteredOn(e -> "InstallSucceeded".equals(e.getReason()))
        .hasSize(1);
    assertThat(releaseRecordsCreated("first")).as("Helm release records of first").isEqualTo(1);

    leader.close();
    assertThat(leader.leading()).isFalse();
    await().atMost(TAKEOVER).until(standby::leading);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(standby.name());
    await().atMost(OperatorHarness.TIMEOUT).until(standby::ready);

    test.resource(Releases.nodeAgent(NS, "second")).create();
    Releases.awaitReady(test, NS, "second", "InstallSucceeded");

    assertThat(Releases.events(test, NS, "second"))
        .as("Events about the second release")
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getReportingInstance()).isEqualTo(standby.name()));
    assertThat(releaseRecordsCreated("second")).as("Helm release records of second").isEqualTo(1);
    // The new leader looked at the first release too, found it as specified and left it alone.
    assertThat(Releases.events(test, NS, "first"))
        .extracting(Event::getReason)
        .containsOnlyOnce("InstallSucceeded")
        .doesNotContain("UpgradeSucceeded");
    assertThat(releaseRecordsCreated("first")).isEqualTo(1);
    assertThat(test.secrets().inNamespace(NS).withName("sh.helm.release.v1.first.v2").get())
        .isNull();
  }

  private OperatorReplica replica(String name) {
    OperatorReplica replica =
        OperatorReplica.start(
            server, name, LEASE_NAMESPACE, Set.of(), OperatorClients.everything());
    replicas.add(replica);
    return replica;
  }

  private Lease lease() {
    return test.leases().inNamespace(LEASE_NAMESPACE).withName("orderly-operator").get();
  }

  /**
   * How many times Helm created a release record (the Secret {@code sh.helm.release.v1.<name>.*},
   * sent as protobuf, so the name is found in the body's bytes): once per install or upgrade.
   */
  private long releaseRecordsCreated(String release) {
    String record = "sh.helm.release.v1." + release + ".v";
    return server.requests().stream()
        .filter(r -> r.method().equals("POST"))
        .filter(r -> r.path().startsWith("/api/v1/namespaces/" + NS + "/secrets"))
        .map(ApiRequest::body)
        .filter(body -> body.contains(record))
        .count();
  }
}
