package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.SecretReference;
import dev.orderly.helm.RegistryCredentials;
import dev.orderly.testsupport.LocalChartRepository;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.sim.ClusterSimulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real operator installs and upgrades a chart through helm-java on the test API server. */
class InstallAndUpgradeIntegrationTest {
  private static final String NS = "agents";

  private OperatorHarness harness;
  // Rolls the chart's workloads out, so installs become Ready as on a cluster.
  private ClusterSimulator simulator;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
    simulator = new ClusterSimulator(harness.client(), 2).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
    harness.close();
  }

  @Test
  void installsTheChartAndReportsReadyWithTheRevision() {
    harness.create(Releases.ofChart(NS, "agent", Releases.NODE_AGENT));

    OrderedRelease ready =
        harness.awaitRelease(
            NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));

    assertThat(ready.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);
    assertThat(ready.getStatus().getRelease().getRevision()).isEqualTo(1);
    assertThat(ready.getStatus().getRelease().getChartName()).isEqualTo("node-agent");
    assertThat(ready.getStatus().getRelease().getChartVersion()).isEqualTo("0.1.0");
    assertThat(ready.getStatus().getRelease().getHelmStatus()).isEqualTo("deployed");
    assertThat(ready.getStatus().getPhase()).isEqualTo("Deployed");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(hasCondition(ready, "Released", "True", null)).isTrue();
    assertThat(hasCondition(ready, "HooksValid", "True", null)).isTrue();
    assertThat(ready.getStatus().getConditions()).noneMatch(c -> c.getType().equals("Stalled"));

    var client = harness.client();
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("agent-agent").get())
        .isNotNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName("agent-controller").get())
        .isNotNull();
    assertThat(client.serviceAccounts().inNamespace(NS).withName("agent-agent").get()).isNotNull();
    assertThat(client.rbac().clusterRoleBindings().withName("agent-agent").get()).isNotNull();
    assertThat(configMap().getData()).containsEntry("logLevel", "info");
    assertThat(releaseSecret(1).getMetadata().getLabels()).containsEntry("status", "deployed");
    assertThat(harness.events(NS, "agent"))
        .extracting(Event::getReason)
        .contains("InstallSucceeded");
  }

  @Test
  void theFinalizerIsOnTheObjectBeforeAnythingIsInstalled() {
    harness.create(Releases.ofChart(NS, "agent", Releases.NODE_AGENT));
    harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Ready", "True", null));

    var journal = harness.server().requests();
    int finalizerAdded =
        journal.indexOf(
            journal.stream()
                .filter(
                    r ->
                        !r.method().equals("GET")
                            && r.path().contains("/orderedreleases/agent")
                            && !r.path().endsWith("/status"))
                .findFirst()
                .orElseThrow());
    int firstChartObject =
        journal.indexOf(
            journal.stream()
                .filter(
                    r -> r.method().equals("POST") && r.path().contains("/namespaces/" + NS + "/"))
                .filter(
                    r -> !r.path().contains("/events") && !r.path().contains("/orderedreleases"))
                .findFirst()
                .orElseThrow());
    assertThat(finalizerAdded).isLessThan(firstChartObject);
  }

  @Test
  void changingValuesUpgradesToRevisionTwo() {
    OrderedRelease created = harness.create(Releases.ofChart(NS, "agent", Releases.NODE_AGENT));
    harness.awaitRelease(NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));

    OrderedRelease current = harness.get(NS, "agent");
    current.getSpec().setValues(Releases.json("{\"logLevel\": \"debug\"}"));
    harness.client().resource(current).update();

    OrderedRelease upgraded =
        harness.awaitRelease(
            NS, "agent", r -> hasCondition(r, "Ready", "True", "UpgradeSucceeded"));
    assertThat(upgraded.getStatus().getRelease().getRevision()).isEqualTo(2);
    assertThat(upgraded.getStatus().getObservedGeneration())
        .isGreaterThan(
            created.getMetadata().getGeneration() == null
                ? 0
                : created.getMetadata().getGeneration());
    assertThat(configMap().getData()).containsEntry("logLevel", "debug");
    assertThat(releaseSecret(2)).isNotNull();
  }

  @Test
  void installsAChartFromAnHttpRepositoryByNameAndVersion() {
    try (LocalChartRepository repository =
        LocalChartRepository.serving(Releases.NODE_AGENT, "node-agent", "0.1.0")) {
      OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
      release
          .getSpec()
          .setChart(ChartSource.fromRepository(repository.url(), "node-agent", "0.1.0"));
      harness.create(release);

      OrderedRelease ready =
          harness.awaitRelease(
              NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
      assertThat(ready.getStatus().getRelease().getChartName()).isEqualTo("node-agent");
      assertThat(ready.getStatus().getRelease().getChartVersion()).isEqualTo("0.1.0");
      assertThat(configMap().getData()).containsEntry("logLevel", "info");
      assertThat(repository.chartDownloads()).isEqualTo(1);
    }
  }

  @Test
  void anHttpRepositoryWithBasicAuthGetsTheCredentialsOfChartSecretRef() {
    String authorization = new RegistryCredentials("reader", "s3cret", "test").basicAuthorization();
    try (LocalChartRepository repository =
        LocalChartRepository.serving(Releases.NODE_AGENT, "node-agent", "0.1.0", authorization)) {
      basicAuthSecret("charts", "reader", "s3cret");
      basicAuthSecret("wrong", "reader", "guess");
      harness.create(fromRepository(repository, "agent", "charts"));
      harness.create(fromRepository(repository, "other", "wrong"));

      OrderedRelease ready =
          harness.awaitRelease(
              NS, "agent", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
      assertThat(ready.getStatus().getRelease().getChartVersion()).isEqualTo("0.1.0");
      assertThat(ready.getStatus().getRelease().getChartDigest()).isNull();
      OrderedRelease refused =
          harness.awaitRelease(
              NS, "other", r -> hasCondition(r, "Stalled", "True", "RepositoryUnauthorized"));
      assertThat(OperatorHarness.condition(refused, "Stalled").orElseThrow().getMessage())
          .isEqualTo(
              "chart repository "
                  + repository.url()
                  + " refused the credentials of Secret "
                  + NS
                  + "/wrong (HTTP 401 for "
                  + repository.url()
                  + "/index.yaml)");
      assertThat(repository.chartDownloads()).isEqualTo(1);
    }
  }

  private OrderedRelease fromRepository(
      LocalChartRepository repository, String name, String secret) {
    OrderedRelease release = Releases.ofChart(NS, name, Releases.NODE_AGENT);
    ChartSource chart = ChartSource.fromRepository(repository.url(), "node-agent", "0.1.0");
    chart.setSecretRef(new SecretReference(secret));
    release.getSpec().setChart(chart);
    return release;
  }

  private void basicAuthSecret(String name, String username, String password) {
    harness
        .client()
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withType("kubernetes.io/basic-auth")
                .withStringData(Map.of("username", username, "password", password))
                .build())
        .create();
  }

  @Test
  void aVersionTheRepositoryDoesNotHaveStallsNamingIt() {
    try (LocalChartRepository repository =
        LocalChartRepository.serving(Releases.NODE_AGENT, "node-agent", "0.1.0")) {
      OrderedRelease release = Releases.ofChart(NS, "agent", Releases.NODE_AGENT);
      release
          .getSpec()
          .setChart(ChartSource.fromRepository(repository.url(), "node-agent", "9.9.9"));
      harness.create(release);

      OrderedRelease stalled =
          harness.awaitRelease(
              NS, "agent", r -> hasCondition(r, "Stalled", "True", "ChartVersionNotFound"));
      assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
          .isEqualTo(
              "repository " + repository.url() + " has no version 9.9.9 of chart node-agent");
    }
  }

  private ConfigMap configMap() {
    return harness.client().configMaps().inNamespace(NS).withName("agent-config").get();
  }

  private Secret releaseSecret(int revision) {
    return harness
        .client()
        .secrets()
        .inNamespace(NS)
        .withName("sh.helm.release.v1.agent.v" + revision)
        .get();
  }
}
