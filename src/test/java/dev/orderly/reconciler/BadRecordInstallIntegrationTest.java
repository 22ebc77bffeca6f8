package dev.orderly.reconciler;

import static dev.orderly.reconciler.TeardownScenario.NAME;
import static dev.orderly.reconciler.TeardownScenario.NS;
import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.BadRecords;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Install and upgrade with Helm records no Helm wrote: Helm is never handed a gzip bomb. */
class BadRecordInstallIntegrationTest {
  private TeardownScenario scenario;

  @BeforeEach
  void start() {
    scenario = new TeardownScenario();
  }

  @AfterEach
  void stop() {
    scenario.close();
  }

  @Test
  void aGzipBombLabelledAsTheReleaseStallsTheInstallUntilItIsDeleted() {
    var client = scenario.harness.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    client.resource(BadRecords.gzipBomb(NS, NAME, 1, 512L * 1024 * 1024)).create();

    scenario.harness.create(Releases.ofChart(NS, NAME, Releases.NODE_AGENT));
    OrderedRelease stalled =
        scenario.awaitRelease(
            r -> hasCondition(r, "Stalled", "True", Reasons.RELEASE_RECORD_UNREADABLE));

    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .contains("Helm release Secret agents/sh.helm.release.v1.agent.v1")
        .contains("expands past 32 MiB")
        .contains("delete that Secret");
    assertThat(hasCondition(stalled, "Ready", "False", Reasons.RELEASE_RECORD_UNREADABLE)).isTrue();
    assertThat(scenario.harness.events(NS, NAME))
        .filteredOn(e -> Reasons.RELEASE_RECORD_UNREADABLE.equals(e.getReason()))
        .first()
        .extracting(Event::getType)
        .isEqualTo("Warning");
    assertThat(client.apps().daemonSets().inNamespace(NS).list().getItems())
        .as("Helm was not called")
        .isEmpty();

    client.secrets().inNamespace(NS).withName("sh.helm.release.v1.agent.v1").delete();
    scenario.awaitRelease(r -> hasCondition(r, "Ready", "True", null));
  }

  @Test
  void aCorruptRecordSeenByHelmOnUpgradeIsHelmsErrorInTheCondition() {
    scenario.install(r -> {});
    var secrets = scenario.harness.client().secrets().inNamespace(NS);
    var garbage = BadRecords.garbage(NS, NAME, 1);
    secrets
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder(
                    secrets.withName("sh.helm.release.v1.agent.v1").get())
                .withData(garbage.getData())
                .build())
        .update();

    OrderedRelease current = scenario.current();
    current.getSpec().setValues(Releases.json("{\"extra\":\"value\"}"));
    scenario.harness.client().resource(current).update();
    // helm-java's status reads the revisions as Helm does and finds none it can read.
    String helmSays = "no revision for release \"agent\"";
    OrderedRelease failed =
        scenario.awaitRelease(
            r ->
                OperatorHarness.condition(r, "Ready")
                    .filter(c -> "False".equals(c.getStatus()))
                    .filter(c -> c.getMessage().contains(helmSays))
                    .isPresent());

    assertThat(hasCondition(failed, "Released", "False", null)).isTrue();
    assertThat(scenario.harness.events(NS, NAME))
        .anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage().contains(helmSays));
    assertThat(scenario.exists("DaemonSet", "agent-agent")).as("nothing torn down").isTrue();
  }
}
