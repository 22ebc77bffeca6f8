package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * The status writes of one look at an OrderedRelease: each saves only what changed since the last,
 * and starts from the resourceVersion the last one returned, so several saves in one look (an
 * intent, then its outcome) do not conflict with each other.
 */
final class StatusWrites {
  private final Context<OrderedRelease> context;
  private OrderedRelease current;
  private String saved;

  StatusWrites(
      OrderedRelease resource, Context<OrderedRelease> context, OrderedReleaseStatus initial) {
    this.context = context;
    this.current = resource;
    this.saved = Serialization.asJson(initial);
  }

  /** Saves {@code status} if it differs from what was last saved or read. */
  void saveIfChanged(OrderedReleaseStatus status) {
    String json = Serialization.asJson(status);
    if (json.equals(saved)) {
      return;
    }
    OrderedReleaseStatus copy = Serialization.unmarshal(json, OrderedReleaseStatus.class);
    current =
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
            current,
            context,
            fresh -> {
              fresh.setStatus(copy);
              return fresh;
            });
    saved = json;
  }
}
