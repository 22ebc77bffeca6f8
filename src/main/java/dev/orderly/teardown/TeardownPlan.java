package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ordered teardown of one release: every step in the order it runs, phase by phase, with kept
 * objects listed in place but never deleted. {@code revision} is the Helm revision the plan was
 * made from, or null when it was made from rendered manifests.
 */
public record TeardownPlan(
    String releaseName, String releaseNamespace, Integer revision, List<PlannedStep> steps) {

  public TeardownPlan {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** The steps of {@code phase}, in order. */
  public List<PlannedStep> stepsIn(TeardownPhase phase) {
    return steps.stream().filter(step -> step.phase() == phase).toList();
  }

  /** The objects the teardown leaves in the cluster, with their reasons. */
  public List<PlannedStep> kept() {
    return steps.stream().filter(step -> step.action() == PlannedStep.Action.Keep).toList();
  }

  /**
   * The initial persisted step list, a fresh mutable list: all Pending, except kept objects Skipped
   * with the reason.
   */
  public List<TeardownStep> initialSteps() {
    return steps.stream()
        .map(PlannedStep::toTeardownStep)
        .collect(Collectors.toCollection(ArrayList::new));
  }
}
