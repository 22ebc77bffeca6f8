package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a look at a teardown needs watched, from its steps and current phase: each step the look
 * observes ({@link PhaseDecider#observed}), by kind in its namespace (none for a cluster-scoped
 * kind); the Pods of the namespaces of the DaemonSets it observes, whose pods are counted until
 * they are gone; and the DaemonSets of the namespaces where operator-made DaemonSets are searched
 * for, from the start until RBAC is gone (a chart's operator can recreate them until then). Helm's
 * release record is not among them: it is observed through its Secrets. Pure.
 */
public final class WatchNeeds {
  private WatchNeeds() {}

  /**
   * @param daemonSetSearch the namespaces spec.uninstall.daemonSets and the release namespace name
   */
  public static Set<WatchKey> of(
      List<TeardownStep> steps, TeardownPhase phase, Collection<String> daemonSetSearch) {
    Set<WatchKey> keys = new LinkedHashSet<>();
    for (TeardownStep step : PhaseDecider.observed(steps, phase).values()) {
      if (record(step)) {
        continue;
      }
      keys.add(of(step));
      if (countsPods(step)) {
        keys.add(WatchKey.pods(step.getNamespace()));
      }
    }
    if (phase.compareTo(TeardownPhase.Rbac) <= 0) {
      daemonSetSearch.forEach(namespace -> keys.add(WatchKey.daemonSets(namespace)));
    }
    return keys;
  }

  /** The key {@code step}'s object is read by. */
  public static WatchKey of(TeardownStep step) {
    return new WatchKey(step.getApiVersion(), step.getKind(), step.getNamespace());
  }

  /** Whether a look counts the pods {@code step}'s object owns: a DaemonSet's, until gone. */
  public static boolean countsPods(TeardownStep step) {
    return "DaemonSet".equals(step.getKind()) && step.getNamespace() != null;
  }

  /** Whether {@code step} is Helm's release record, seen through its Secrets, never watched. */
  public static boolean record(TeardownStep step) {
    return PlannedStep.RELEASE_API_VERSION.equals(step.getApiVersion())
        && PlannedStep.RELEASE_KIND.equals(step.getKind());
  }
}
