package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of an OrderedRelease wake the operator: a new generation (spec), the start of
 * deletion, and changes of finalizers or annotations. Status-only updates, the operator's own
 * writes, do not. JOSDK's generation-aware filter alone would also drop annotation changes on an
 * object being deleted, and with them the escape hatches {@code orderly.dev/force} and {@code
 * orderly.dev/skip-hooks}.
 */
public final class RelevantChanges implements OnUpdateFilter<OrderedRelease> {
  @Override
  public boolean accept(OrderedRelease updated, OrderedRelease previous) {
    var now = updated.getMetadata();
    var before = previous.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || updated.isMarkedForDeletion() != previous.isMarkedForDeletion()
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || !Objects.equals(now.getAnnotations(), before.getAnnotations());
  }
}
