package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a look at a teardown needs watched, phase by phase. */
class WatchNeedsTest {
  private static final WatchKey DS_APPS = WatchKey.daemonSets("apps");
  private static final WatchKey DS_AGENTS = WatchKey.daemonSets("agents");

  static Stream<Arguments> cases() {
    TeardownStep job = step(TeardownPhase.PreDeleteHooks, "batch/v1", "Job", "apps", State.Pending);
    TeardownStep jobSkipped =
        step(TeardownPhase.PreDeleteHooks, "batch/v1", "Job", "apps", State.Skipped);
    TeardownStep widget =
        step(TeardownPhase.CustomResources, "example.com/v1", "Widget", "apps", State.Pending);
    TeardownStep agent =
        step(TeardownPhase.DaemonSets, "apps/v1", "DaemonSet", "agents", State.InProgress);
    TeardownStep agentGone =
        step(TeardownPhase.DaemonSets, "apps/v1", "DaemonSet", "agents", State.Done);
    agentGone.setUid("ds-1");
    TeardownStep web =
        step(TeardownPhase.Workloads, "apps/v1", "Deployment", "apps", State.Pending);
    TeardownStep config =
        step(TeardownPhase.ConfigAndNetwork, "v1", "ConfigMap", "apps", State.Pending);
    TeardownStep kept =
        step(TeardownPhase.ConfigAndNetwork, "v1", "ConfigMap", "apps", State.Skipped);
    TeardownStep role =
        step(
            TeardownPhase.Rbac, "rbac.authorization.k8s.io/v1", "ClusterRole", null, State.Pending);
    TeardownStep record =
        step(
            TeardownPhase.Release,
            PlannedStep.RELEASE_API_VERSION,
            PlannedStep.RELEASE_KIND,
            "apps",
            State.Pending);
    Set<String> search = Set.of("apps");
    return Stream.of(
        Arguments.of(
            "a hook to run, and the DaemonSets searched for from the start",
            List.of(job, widget),
            TeardownPhase.PreDeleteHooks,
            search,
            Set.of(new WatchKey("batch/v1", "Job", "apps"), DS_APPS)),
        Arguments.of(
            "a skipped hook is not watched",
            List.of(jobSkipped),
            TeardownPhase.PreDeleteHooks,
            Set.of(),
            Set.of()),
        Arguments.of(
            "a custom resource, by its own kind",
            List.of(job, widget),
            TeardownPhase.CustomResources,
            search,
            Set.of(new WatchKey("example.com/v1", "Widget", "apps"), DS_APPS)),
        Arguments.of(
            "a DaemonSet, and the pods it owns",
            List.of(agent, web),
            TeardownPhase.DaemonSets,
            Set.of("apps", "agents"),
            Set.of(DS_AGENTS, WatchKey.pods("agents"), DS_APPS)),
        Arguments.of(
            "a deleted DaemonSet stays watched in later phases until RBAC is gone",
            List.of(agentGone, web),
            TeardownPhase.Workloads,
            search,
            Set.of(
                DS_AGENTS,
                WatchKey.pods("agents"),
                new WatchKey("apps/v1", "Deployment", "apps"),
                DS_APPS)),
        Arguments.of(
            "a kept object is not watched",
            List.of(config, kept),
            TeardownPhase.ConfigAndNetwork,
            Set.of(),
            Set.of(new WatchKey("v1", "ConfigMap", "apps"))),
        Arguments.of(
            "a cluster-scoped kind, without a namespace",
            List.of(agentGone, role),
            TeardownPhase.Rbac,
            search,
            Set.of(
                new WatchKey("rbac.authorization.k8s.io/v1", "ClusterRole", null),
                DS_AGENTS,
                WatchKey.pods("agents"),
                DS_APPS)),
        Arguments.of(
            "Helm's record is not watched, nor DaemonSets once RBAC is gone",
            List.of(agentGone, record),
            TeardownPhase.Release,
            search,
            Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void needs(
      String what,
      List<TeardownStep> steps,
      TeardownPhase phase,
      Set<String> search,
      Set<WatchKey> expected) {
    assertThat(WatchNeeds.of(steps, phase, search)).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static TeardownStep step(
      TeardownPhase phase, String apiVersion, String kind, String namespace, State state) {
    TeardownStep step = new TeardownStep();
    step.setPhase(phase);
    step.setApiVersion(apiVersion);
    step.setKind(kind);
    step.setNamespace(namespace);
    step.setName(kind.toLowerCase());
    step.setState(state);
    return step;
  }
}
