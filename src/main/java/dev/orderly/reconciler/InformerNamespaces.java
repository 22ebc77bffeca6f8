package dev.orderly.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.List;
import java.util.Set;

/**
 * How the secondary informers with a store of their own are split: one informer when all namespaces
 * (or one) are watched, else one per watched namespace, because JOSDK hands the same store to each
 * namespace's informer and one namespace's relist would drop the others' objects.
 */
final class InformerNamespaces {
  /** Objects per page of these informers' lists (and relists after an expired watch). */
  static final long LIST_PAGE = 500;

  /** The one partition that follows the controller's namespaces. */
  static final String INHERITED = "";

  private InformerNamespaces() {}

  /** {@link #INHERITED} alone, or each watched namespace. */
  static List<String> of(EventSourceContext<?> context) {
    Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
    return namespaces.size() <= 1 || InformerConfiguration.allNamespacesWatched(namespaces)
        ? List.of(INHERITED)
        : List.copyOf(namespaces);
  }
}
