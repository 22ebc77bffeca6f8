package dev.orderly.reconciler;

import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.first;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.firstDelete;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.isRbac;
import static dev.orderly.reconciler.OrderedTeardownIntegrationTest.last;
import static dev.orderly.testsupport.OperatorHarness.condition;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.SecretReference;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.MutableClock;
import dev.orderly.testsupport.OciRegistry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real operator installs the node-agent example from a real OCI registry on loopback that asks
 * for basic auth, with credentials from chart.secretRef: by tag and by digest, upgrades to a new
 * tag, tears down in order, and stalls with its own reason for each mistake a user can make.
 */
class OciChartIntegrationTest {
  private static final String NS = TeardownScenario.NS;
  private static final String NAME = TeardownScenario.NAME;

  @TempDir static Path registryDir;
  private static OciRegistry registry;
  private static String digest010;
  private static String digest020;

  private TeardownScenario scenario;

  @BeforeAll
  static void startRegistry() {
    registry = OciRegistry.startWithBasicAuth(registryDir);
    digest010 = registry.pushChart(Releases.NODE_AGENT, "node-agent", "0.1.0");
    digest020 = registry.pushChart(Releases.NODE_AGENT, "node-agent", "0.2.0");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void installsByTagWithADockerConfigSecretThenUpgradesToANewTag() {
    createSecret(dockerConfig("registry", OciRegistry.PASSWORD));

    OrderedRelease ready = scenario.install(r -> r.getSpec().setChart(oci("0.1.0", "registry")));

    assertThat(ready.getStatus().getRelease().getChartName()).isEqualTo("node-agent");
    assertThat(ready.getStatus().getRelease().getChartVersion()).isEqualTo("0.1.0");
    assertThat(ready.getStatus().getRelease().getChartDigest()).isEqualTo(digest010);
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();

    OrderedRelease current = scenario.current();
    current.getSpec().getChart().setVersion("^0.2");
    scenario.harness.client().resource(current).update();

    OrderedRelease upgraded =
        scenario.awaitRelease(r -> hasCondition(r, "Ready", "True", "UpgradeSucceeded"));
    assertThat(upgraded.getStatus().getRelease().getRevision()).isEqualTo(2);
    assertThat(upgraded.getStatus().getRelease().getChartVersion()).isEqualTo("0.2.0");
    assertThat(upgraded.getStatus().getRelease().getChartDigest()).isEqualTo(digest020);
  }

  @Test
  void installsByDigestWithABasicAuthSecretAndTearsDownInOrder() {
    createSecret(basicAuth("registry", OciRegistry.USERNAME, OciRegistry.PASSWORD));

    OrderedRelease ready =
        scenario.install(
            r -> {
              ChartSource chart = oci("0.2.0", "registry");
              chart.setDigest(digest020);
              r.getSpec().setChart(chart);
            });
    assertThat(hasCondition(ready, "Ready", "True", "InstallSucceeded")).isTrue();
    assertThat(ready.getStatus().getRelease().getChartDigest()).isEqualTo(digest020);
    assertThat(ready.getStatus().getRelease().getChartVersion()).isEqualTo("0.2.0");

    scenario.delete();
    scenario.awaitRelease(
        r ->
            OrderedTeardownIntegrationTest.phase(r, dev.orderly.api.TeardownPhase.PreDeleteHooks)
                && scenario.exists("Job", "agent-drain"));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isTrue();
    scenario.simulator.completeJob(NS, "agent-drain");
    scenario.simulator.terminatePodsAtOnce(true);
    scenario.awaitGone();

    List<ApiRequest> journal = scenario.requests();
    int lastPodStopped =
        last(
            journal,
            r -> r.path().contains("/namespaces/" + NS + "/pods/") && !r.method().equals("GET"));
    int firstRbacDelete = first(journal, r -> r.method().equals("DELETE") && isRbac(r.path()));
    assertThat(firstRbacDelete).isGreaterThan(lastPodStopped);
    assertThat(firstDelete(journal, "/daemonsets/"))
        .isLessThan(firstDelete(journal, "/deployments/"));
    assertThat(scenario.announcedPhases()).containsExactlyElementsOf(TeardownScenario.ALL_PHASES);
    assertThat(scenario.exists("ClusterRoleBinding", "agent-agent")).isFalse();
    assertThat(scenario.exists("Secret", "sh.helm.release.v1.agent.v1")).isFalse();
  }

  @Test
  void wrongCredentialsStallAsUnauthorized() {
    createSecret(basicAuth("registry", OciRegistry.USERNAME, "wrong"));
    create(oci("0.1.0", "registry"));

    expectStalled(
        "RepositoryUnauthorized",
        "registry "
            + registry.host()
            + " refused the credentials of Secret "
            + NS
            + "/registry for charts/node-agent (HTTP 401): check the username and password,"
            + " and that they may pull");
  }

  @Test
  void fixingTheSecretRetriesAtOnceNotAfterTheBackoff() {
    // The clock stands still: the 10 s backoff never elapses, so only the Secret can wake a retry.
    scenario.close();
    scenario = new TeardownScenario(MutableClock.startingNow());
    createSecret(basicAuth("registry", OciRegistry.USERNAME, "wrong"));
    create(oci("0.1.0", "registry"));
    scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", "RepositoryUnauthorized"));

    Secret fixed = basicAuth("registry", OciRegistry.USERNAME, OciRegistry.PASSWORD);
    scenario.harness.client().secrets().inNamespace(NS).resource(fixed).update();

    OrderedRelease ready =
        scenario.awaitRelease(r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(ready.getStatus().getRelease().getRevision()).isEqualTo(1);
    // Status keeps the inputs' digest alone: the Secret's version never makes it look stale.
    assertThat(ready.getStatus().getRelease().getAppliedDigest()).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void aMissingTagStallsNamingIt() {
    createSecret(basicAuth("registry", OciRegistry.USERNAME, OciRegistry.PASSWORD));
    create(oci("9.9.9", "registry"));

    expectStalled(
        "ChartVersionNotFound",
        registry.chartsUrl() + "/node-agent has no tag 9.9.9 (chart version 9.9.9)");
  }

  @Test
  void aDigestTheTagDoesNotHaveStallsAsMismatch() {
    createSecret(basicAuth("registry", OciRegistry.USERNAME, OciRegistry.PASSWORD));
    ChartSource chart = oci("0.1.0", "registry");
    chart.setDigest(digest020);
    create(chart);

    expectStalled(
        "ChartDigestMismatch",
        registry.chartsUrl()
            + "/node-agent:0.1.0 has digest "
            + digest010
            + ", not the pinned chart.digest "
            + digest020
            + ": the tag was moved to another artifact, or the digest is wrong");
    assertThat(scenario.exists("DaemonSet", "agent-agent")).isFalse();
  }

  @Test
  void aMissingSecretStallsUntilItIsCreated() {
    create(oci("0.1.0", "registry"));
    expectStalled(
        "CredentialsNotFound", "chart.secretRef: Secret " + NS + "/registry does not exist");

    createSecret(basicAuth("registry", OciRegistry.USERNAME, OciRegistry.PASSWORD));

    OrderedRelease ready =
        scenario.awaitRelease(r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(ready.getStatus().getRelease().getChartDigest()).isEqualTo(digest010);
  }

  private void expectStalled(String reason, String message) {
    OrderedRelease stalled = scenario.awaitRelease(r -> hasCondition(r, "Stalled", "True", reason));
    assertThat(condition(stalled, "Stalled").orElseThrow().getMessage()).isEqualTo(message);
    assertThat(condition(stalled, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    List<Event> warnings =
        scenario.harness.events(NS, NAME).stream()
            .filter(e -> reason.equals(e.getReason()))
            .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getType()).isEqualTo("Warning");
    assertThat(warnings.get(0).getMessage()).startsWith(message);
  }

  private void create(ChartSource chart) {
    OrderedRelease release = Releases.ofChart(NS, NAME, Releases.NODE_AGENT);
    release.getSpec().setChart(chart);
    scenario.harness.create(release);
  }

  private static ChartSource oci(String version, String secret) {
    ChartSource chart = ChartSource.fromRepository(registry.chartsUrl(), "node-agent", version);
    chart.setInsecure(true);
    chart.setSecretRef(new SecretReference(secret));
    return chart;
  }

  private void createSecret(Secret secret) {
    scenario.harness.client().secrets().inNamespace(NS).resource(secret).create();
  }

  private static Secret basicAuth(String name, String username, String password) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withType("kubernetes.io/basic-auth")
        .withData(Map.of("username", base64(username), "password", base64(password)))
        .build();
  }

  private static Secret dockerConfig(String name, String password) {
    String auth = base64(OciRegistry.USERNAME + ":" + password);
    String json = "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}";
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", base64(json)))
        .build();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
