package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.TeardownStep;
import dev.orderly.teardown.TeardownLedger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which namespaces' Jobs, Pods and workloads wake a release being torn down. */
class ReleaseEventSourcesTest {

  @Test
  void aReleaseNotBeingDeletedAwaitsNothing() {
    OrderedRelease release = Releases.ofChart("agents", "agent", Path.of("/charts/c"));

    assertThat(ReleaseEventSources.awaitedKeys(release)).isEmpty();
  }

  @Test
  void aReleaseBeingTornDownAwaitsEveryNamespaceItsTeardownActsIn() {
    OrderedRelease release = Releases.ofChart("agents", "agent", Path.of("/charts/c"));
    release.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    DaemonSetSelector selector = new DaemonSetSelector();
    selector.setNamespace("node-agents");
    release.getSpec().getUninstall().setDaemonSets(List.of(selector));
    TeardownStatus teardown = new TeardownStatus();
    teardown.setSteps(
        List.of(
            step("Job", "agent-workspace"),
            step("ClusterRole", null),
            step("ConfigMap", "agents")));
    release.setStatus(new OrderedReleaseStatus());
    release.getStatus().setTeardown(teardown);

    assertThat(ReleaseEventSources.awaitedKeys(release))
        .containsExactlyInAnyOrder("ns/agents", "ns/node-agents", "ns/agent-workspace");
  }

  @Test
  void withTheStepsInTheLedgerTheSummarysNamespacesAreAwaited() {
    OrderedRelease release = Releases.ofChart("agents", "agent", Path.of("/charts/c"));
    release.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    TeardownStatus full = new TeardownStatus();
    full.setSteps(List.of(step("Job", "agent-workspace"), step("ConfigMap", "agents")));
    release.setStatus(new OrderedReleaseStatus());
    release.getStatus().setTeardown(TeardownLedger.summary(full, "agent.orderly-teardown"));

    assertThat(release.getStatus().getTeardown().getSteps()).isEmpty();
    assertThat(ReleaseEventSources.awaitedKeys(release))
        .containsExactlyInAnyOrder("ns/agents", "ns/agent-workspace");
  }

  private static TeardownStep step(String kind, String namespace) {
    TeardownStep step = new TeardownStep();
    step.setKind(kind);
    step.setName("x");
    step.setNamespace(namespace);
    return step;
  }
}
