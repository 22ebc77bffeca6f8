package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OrderedRelease without {@code spec}, as a cluster with a CRD from before {@code spec} was
 * required may still hold: it stalls, and deleting it tears down nothing, not even a Helm release
 * of the same name that it never installed; its finalizer goes and an Event says so.
 */
class MissingSpecIntegrationTest {
  private static final String NS = "nospec";
  private static final String NAME = "agent";

  private OperatorHarness harness;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void deletingItLeavesEverythingInPlaceAndRemovesTheFinalizer() {
    // A release of the same name that someone else installed in the same namespace.
    new Helm(Releases.NODE_AGENT)
        .install()
        .withName(NAME)
        .withNamespace(NS)
        .withKubeConfigContents(harness.server().kubeconfig())
        .call();
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(NAME).build());
    harness.create(release);
    OrderedRelease stalled =
        harness.awaitRelease(NS, NAME, r -> hasCondition(r, "Stalled", "True", "InvalidSpec"));
    assertThat(stalled.getMetadata().getFinalizers()).contains(OrderedRelease.FINALIZER);

    harness.client().resource(stalled).delete();

    await().atMost(OperatorHarness.TIMEOUT).until(() -> harness.get(NS, NAME) == null);
    assertThat(harness.events(NS, NAME))
        .filteredOn(e -> "NothingToTearDown".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "no spec, so Orderly installed nothing for this object and tears nothing"
                          + " down; removing the finalizer");
            });
    assertThat(harness.events(NS, NAME))
        .extracting(Event::getReason)
        .doesNotContain("TeardownPhaseStarted");
    assertThat(
            harness
                .client()
                .secrets()
                .inNamespace(NS)
                .withName("sh.helm.release.v1.agent.v1")
                .get())
        .as("the other release's record")
        .isNotNull();
    assertThat(harness.client().apps().daemonSets().inNamespace(NS).withName("agent-agent").get())
        .as("the other release's DaemonSet")
        .isNotNull();
  }

  @Test
  void aReleaseItInstalledBeforeTheSpecWentIsLeftInPlaceAndNamed() {
    harness.stopOperator();
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(NS)
            .withName(NAME)
            .withFinalizers(OrderedRelease.FINALIZER)
            .build());
    OrderedRelease created = harness.create(release);
    ReleaseStatus installed = new ReleaseStatus();
    installed.setName("agent-release");
    installed.setNamespace("agents");
    installed.setRevision(3);
    OrderedReleaseStatus status = new OrderedReleaseStatus();
    status.setRelease(installed);
    created.setStatus(status);
    harness.client().resource(created).updateStatus();
    harness.client().resource(created).delete();
    harness.startOperator();

    await().atMost(OperatorHarness.TIMEOUT).until(() -> harness.get(NS, NAME) == null);
    assertThat(harness.events(NS, NAME))
        .filteredOn(e -> "ReleaseLeftInPlace".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .contains("Helm release agents/agent-release (revision 3)")
                  .contains("left in place, remove it with helm uninstall");
            });
  }
}
