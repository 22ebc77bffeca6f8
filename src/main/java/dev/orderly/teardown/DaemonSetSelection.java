package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.helm.ReleaseObject;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which live DaemonSets outside the chart come down in the DaemonSets phase: those the spec's
 * selectors found, and by default those in the release namespace that an object of the release owns
 * or that carry {@code app.kubernetes.io/instance: <release>}. Pure.
 */
public final class DaemonSetSelection {
  /** The label Helm charts conventionally put on everything they (or their operators) create. */
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private DaemonSetSelection() {}

  /**
   * Whether {@code selector} selects an object labelled {@code labels}, as the API server's label
   * selector does: every matchLabels pair, and every matchExpressions requirement (In, NotIn,
   * Exists, DoesNotExist). A null selector selects everything; an unknown operator nothing.
   */
  public static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(have.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        String value = have.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        boolean met =
            switch (String.valueOf(requirement.getOperator())) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> have.containsKey(requirement.getKey());
              case "DoesNotExist" -> !have.containsKey(requirement.getKey());
              default -> false;
            };
        if (!met) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * New steps for DaemonSets not yet in {@code steps}.
   *
   * @param bySelector DaemonSets found by spec.uninstall.daemonSets selectors
   * @param inReleaseNamespace every DaemonSet in the release namespace
   */
  public static List<TeardownStep> additions(
      String releaseName,
      List<TeardownStep> steps,
      Collection<DaemonSet> bySelector,
      Collection<DaemonSet> inReleaseNamespace) {
    Set<String> known = new HashSet<>();
    Set<String> releaseOwners = new HashSet<>();
    for (TeardownStep step : steps) {
      if (step.getKind() != null && step.getName() != null) {
        known.add(key(step.getKind(), step.getNamespace(), step.getName()));
        if (!step.isHook()) {
          releaseOwners.add(step.getKind() + "/" + step.getName());
        }
      }
    }
    List<TeardownStep> added = new ArrayList<>();
    for (DaemonSet daemonSet : bySelector) {
      add(daemonSet, "selected by spec.uninstall.daemonSets", known, added);
    }
    for (DaemonSet daemonSet : inReleaseNamespace) {
      reasonToInclude(daemonSet, releaseName, releaseOwners)
          .ifPresent(reason -> add(daemonSet, reason, known, added));
    }
    return added;
  }

  private static Optional<String> reasonToInclude(
      DaemonSet daemonSet, String releaseName, Set<String> releaseOwners) {
    Map<String, String> labels = daemonSet.getMetadata().getLabels();
    if (labels != null && releaseName.equals(labels.get(INSTANCE_LABEL))) {
      return Optional.of("labelled " + INSTANCE_LABEL + "=" + releaseName);
    }
    List<OwnerReference> owners = daemonSet.getMetadata().getOwnerReferences();
    for (OwnerReference owner : owners == null ? List.<OwnerReference>of() : owners) {
      if (releaseOwners.contains(owner.getKind() + "/" + owner.getName())) {
        return Optional.of(
            "owned by " + owner.getKind() + " " + owner.getName() + " of the release");
      }
    }
    return Optional.empty();
  }

  private static void add(
      DaemonSet daemonSet, String reason, Set<String> known, List<TeardownStep> added) {
    String namespace = daemonSet.getMetadata().getNamespace();
    String name = daemonSet.getMetadata().getName();
    if (!known.add(key("DaemonSet", namespace, name))) {
      return;
    }
    TeardownStep step = new TeardownStep();
    step.setPhase(TeardownPhase.DaemonSets);
    step.setApiVersion("apps/v1");
    step.setKind("DaemonSet");
    step.setNamespace(namespace);
    step.setName(name);
    Map<String, String> annotations = daemonSet.getMetadata().getAnnotations();
    if (ReleaseObject.hasResourcePolicy(annotations)) {
      step.setState(TeardownStep.State.Skipped);
      step.setMessage(
          "not in the chart, "
              + reason
              + "; kept: "
              + TeardownPlanner.keepReason(annotations.get(ReleaseObject.RESOURCE_POLICY)));
    } else {
      step.setMessage("not in the chart, " + reason);
    }
    added.add(step);
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }
}
