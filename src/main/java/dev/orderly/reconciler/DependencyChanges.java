package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.dependencies.DependencyGraph.Key;
import dev.orderly.dependencies.ReleaseNodes;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Set;

/**
 * Which updates of an OrderedRelease concern the releases related to it by spec.dependsOn: its
 * readiness (dependents install once it is Ready), the start of its deletion, and its dependsOn.
 * Additions and removals always do (a dependency appears; a dependent is gone). The heartbeat and
 * other status writes do not.
 */
final class DependencyChanges implements OnUpdateFilter<OrderedRelease> {
  @Override
  public boolean accept(OrderedRelease updated, OrderedRelease previous) {
    return ReleaseNodes.ready(updated) != ReleaseNodes.ready(previous)
        || updated.isMarkedForDeletion() != previous.isMarkedForDeletion()
        || !ReleaseNodes.dependsOn(updated).equals(ReleaseNodes.dependsOn(previous));
  }

  /**
   * The dependencies {@code previous} named and {@code updated} no longer does: they are woken as
   * well as the current ones, since one may be waiting for this dependent before its teardown.
   */
  static List<Key> dropped(OrderedRelease updated, OrderedRelease previous) {
    Set<Key> now = Set.copyOf(ReleaseNodes.dependsOn(updated));
    return ReleaseNodes.dependsOn(previous).stream().filter(k -> !now.contains(k)).toList();
  }
}
