package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which DaemonSets outside the chart the teardown deletes: exactly those a selector found, and in
 * the release namespace those labelled with the release's instance or owned by one of its
 * (non-hook) objects. Nothing else, however it is named or labelled.
 */
class DaemonSetSelectionTest {
  private static final String RELEASE = "agent";

  private final List<TeardownStep> plan =
      List.of(
          step(TeardownPhase.Workloads, "Deployment", "agent-operator"),
          step(TeardownPhase.PreDeleteHooks, "Job", "agent-drain"));

  @Test
  void onlyTheReleasesLabelOrItsObjectsOwnershipTakesADaemonSetInTheReleaseNamespace() {
    List<DaemonSet> inNamespace =
        List.of(
            daemonSet("labelled", Map.of(DaemonSetSelection.INSTANCE_LABEL, RELEASE), null),
            daemonSet("owned", Map.of(), "Deployment/agent-operator"),
            daemonSet("owned-by-a-hook", Map.of(), "Job/agent-drain"),
            daemonSet("owned-by-a-namesake", Map.of(), "StatefulSet/agent-operator"),
            daemonSet("another-release", Map.of(DaemonSetSelection.INSTANCE_LABEL, "other"), null),
            daemonSet("agent-lookalike", Map.of("app", RELEASE), null));

    List<TeardownStep> added = DaemonSetSelection.additions(RELEASE, plan, List.of(), inNamespace);

    assertThat(added).extracting(TeardownStep::getName).containsExactly("labelled", "owned");
    assertThat(added)
        .extracting(TeardownStep::getMessage)
        .containsExactly(
            "not in the chart, labelled app.kubernetes.io/instance=agent",
            "not in the chart, owned by Deployment agent-operator of the release");
    assertThat(added)
        .allMatch(s -> s.getPhase() == TeardownPhase.DaemonSets && s.getNamespace().equals("apps"));
  }

  @Test
  void aSelectedDaemonSetIsAddedOnceAndAKeptOneIsSkipped() {
    DaemonSet selected = daemonSet("selected", Map.of("tier", "node"), null);
    DaemonSet kept =
        new DaemonSetBuilder(daemonSet("kept", Map.of("tier", "node"), null))
            .editMetadata()
            .addToAnnotations("helm.sh/resource-policy", "keep")
            .endMetadata()
            .build();

    List<TeardownStep> added =
        DaemonSetSelection.additions(RELEASE, plan, List.of(selected, kept, selected), List.of());

    assertThat(added).extracting(TeardownStep::getName).containsExactly("selected", "kept");
    assertThat(added.get(0).getMessage())
        .isEqualTo("not in the chart, selected by spec.uninstall.daemonSets");
    assertThat(added.get(1).getState()).isEqualTo(TeardownStep.State.Skipped);
  }

  private static DaemonSet daemonSet(String name, Map<String, String> labels, String owner) {
    DaemonSetBuilder builder =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withNamespace("apps")
            .withName(name)
            .withLabels(labels)
            .endMetadata();
    if (owner != null) {
      String[] kindAndName = owner.split("/");
      builder
          .editMetadata()
          .addNewOwnerReference()
          .withApiVersion("apps/v1")
          .withKind(kindAndName[0])
          .withName(kindAndName[1])
          .withUid("uid-" + kindAndName[1])
          .endOwnerReference()
          .endMetadata();
    }
    return builder.build();
  }

  private static TeardownStep step(TeardownPhase phase, String kind, String name) {
    TeardownStep step = new TeardownStep();
    step.setPhase(phase);
    step.setApiVersion("apps/v1");
    step.setKind(kind);
    step.setNamespace("apps");
    step.setName(name);
    return step;
  }
}
