package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.helm.BadRecords;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's secondary caches hold what its releases reference, not what the cluster holds:
 * unrelated ConfigMaps and Secrets are not kept while a referenced one's change still upgrades;
 * Helm records are seen from a metadata cache whose events wake the teardown.
 */
class CachesFollowReleasesIntegrationTest {
  private static final int UNRELATED = 150;
  private static final String RECORD = "sh.helm.release.v1.agent.v1";

  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
    scenario.simulator.completeJobsAutomatically(true);
    scenario.simulator.terminatePodsAtOnce(true);
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void unrelatedObjectsAreNotCachedWhileReferencedOnesStillUpgrade() {
    var client = scenario.harness.client();
    for (int i = 0; i < UNRELATED; i++) {
      client.resource(configMap("unrelated-" + i, "logLevel: error\n")).create();
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withNamespace(NS)
                  .withName("unrelated-" + i)
                  .endMetadata()
                  .withStringData(Map.of("token", "x".repeat(1000)))
                  .build())
          .create();
    }
    // Exists before anything references it, so the informer saw it as unrelated.
    client.resource(configMap("late-values", "logLevel: debug\n")).create();
    client.resource(configMap("agent-values", "logLevel: warn\n")).create();

    scenario.install(
        r ->
            r.getSpec()
                .setValuesFrom(
                    List.of(
                        new ValuesReference(
                            ValuesReference.Kind.ConfigMap, "agent-values", null))));
    assertThat(logLevel()).isEqualTo("warn");
    assertThat(cached().valuesConfigMaps()).as("only agent-values").isEqualTo(1);
    assertThat(cached().valuesSecrets()).isZero();

    // A referenced object's change upgrades, as ever.
    client.resource(configMap("agent-values", "logLevel: info\n")).update();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "info".equals(logLevel()));

    // A reference to an object the cache never kept resolves (read once from the API server) ...
    // A merge patch without resourceVersion, as kubectl would send: the operator may be writing
    // the status (readiness) at the same time.
    client
        .resources(OrderedRelease.class)
        .inNamespace(NS)
        .withName(NAME)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"valuesFrom\":[{\"kind\":\"ConfigMap\",\"name\":\"agent-values\"},"
                + "{\"kind\":\"ConfigMap\",\"name\":\"late-values\"}]}}");
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "debug".equals(logLevel()));

    // ... and its next change reaches the cache and upgrades.
    client.resource(configMap("late-values", "logLevel: trace\n")).update();
    await().atMost(OperatorHarness.TIMEOUT).until(() -> "trace".equals(logLevel()));

    assertThat(cached().valuesConfigMaps()).as("agent-values and late-values").isEqualTo(2);
    assertThat(cached().valuesSecrets()).as("no unrelated Secret is kept").isZero();
    assertThat(cached().releaseRecords())
        .as("the Helm records, and no other Secret")
        .isEqualTo(
            client.secrets().inAnyNamespace().withLabel("owner", "helm").list().getItems().size());
    assertThat(cached().dependencyNodes()).isEqualTo(1);
  }

  @Test
  void aBlockedTeardownResumesWhenTheRecordIsFixedWithoutWaitingForTheRecheck() {
    scenario.install(r -> {});
    var secrets = scenario.harness.client().secrets().inNamespace(NS);
    Secret good = secrets.withName(RECORD).get();
    replaceRecord(BadRecords.garbage(NS, NAME, 1));

    scenario.delete();
    scenario.awaitRelease(
        r -> hasCondition(r, "Stalled", "True", Reasons.RELEASE_RECORD_UNREADABLE));
    replaceRecord(good);

    // No poke: the record's update event wakes the release. The bound is well under the 30 s
    // recheck of a blocked teardown, which would otherwise be the first look after the fix.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                scenario.current() == null
                    || !hasCondition(
                        scenario.current(), "Stalled", "True", Reasons.RELEASE_RECORD_UNREADABLE));
    scenario.awaitGone();
    assertThat(scenario.eventReasons())
        .doesNotContain(Reasons.RELEASE_RECORD_IGNORED)
        .contains(Reasons.TEARDOWN_COMPLETE);
  }

  private void replaceRecord(Secret secret) {
    var secrets = scenario.harness.client().secrets().inNamespace(NS);
    Secret current = secrets.withName(RECORD).get();
    secrets
        .resource(
            new SecretBuilder(current)
                .withData(secret.getData())
                .editMetadata()
                .withLabels(secret.getMetadata().getLabels())
                .endMetadata()
                .build())
        .update();
  }

  private ReleaseEventSources.CachedCounts cached() {
    return scenario.harness.operator().cached();
  }

  private String logLevel() {
    ConfigMap config =
        scenario.harness.client().configMaps().inNamespace(NS).withName("agent-config").get();
    return config == null ? null : config.getData().get("logLevel");
  }

  private static ConfigMap configMap(String name, String values) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName(name)
        .endMetadata()
        .withData(Map.of("values.yaml", values))
        .build();
  }
}
