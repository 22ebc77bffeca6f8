package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.cache.ReferencedOnlyStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The ConfigMaps (or Secrets) OrderedReleases read through valuesFrom or chart.secretRef: one
 * informer per watched namespace (one for all when all are watched) whose store keeps in full only
 * the referenced objects, so unrelated ones cost a stub each. A change of a referenced object wakes
 * the releases naming it. A lookup the cache misses (a reference newer than the object's last
 * change) reads the object once from the API server and keeps it if the informer has seen that very
 * version. Several watched namespaces get an informer each (see {@link InformerNamespaces}).
 */
final class ReferencedObjects<R extends HasMetadata> {
  private static final String ALL = InformerNamespaces.INHERITED;

  private final Class<R> type;
  private final EventSourceContext<OrderedRelease> context;
  private final Map<String, InformerEventSource<R, OrderedRelease>> sources = new LinkedHashMap<>();
  private final Map<String, ReferencedOnlyStore<R>> stores = new LinkedHashMap<>();

  /**
   * @param referencing the releases that read the object of (namespace, name), from the primary
   *     cache's index
   */
  ReferencedObjects(
      Class<R> type,
      Supplier<R> empty,
      EventSourceContext<OrderedRelease> context,
      BiFunction<String, String, Set<ResourceID>> referencing) {
    this.type = type;
    this.context = context;
    for (String namespace : InformerNamespaces.of(context)) {
      ReferencedOnlyStore<R> store =
          new ReferencedOnlyStore<>((ns, name) -> !referencing.apply(ns, name).isEmpty(), empty);
      var builder =
          InformerEventSourceConfiguration.from(type, OrderedRelease.class)
              .withName(
                  type.getSimpleName().toLowerCase()
                      + "-values"
                      + (namespace.equals(ALL) ? "" : "-" + namespace))
              .withItemStore(store)
              // Listed in pages, each trimmed as it is stored, never the whole list in memory at
              // once.
              .withInformerListLimit(InformerNamespaces.LIST_PAGE)
              .withSecondaryToPrimaryMapper(
                  object ->
                      referencing.apply(
                          object.getMetadata().getNamespace(), object.getMetadata().getName()));
      if (namespace.equals(ALL)) {
        builder.withNamespacesInheritedFromController();
      } else {
        builder.withNamespaces(namespace);
      }
      sources.put(namespace, new InformerEventSource<>(builder.build(), context));
      stores.put(namespace, store);
    }
  }

  List<EventSource<?, OrderedRelease>> sources() {
    return new ArrayList<>(sources.values());
  }

  /** The object from the cache, or on a miss from the API server (empty when it does not exist). */
  Optional<R> get(String namespace, String name) {
    String key = sources.containsKey(ALL) ? ALL : namespace;
    InformerEventSource<R, OrderedRelease> source = sources.get(key);
    if (source != null) {
      Optional<R> cached = source.get(new ResourceID(name, namespace));
      if (cached.isPresent()) {
        return cached;
      }
    }
    R read = context.getClient().resources(type).inNamespace(namespace).withName(name).get();
    if (read != null && stores.containsKey(key)) {
      stores.get(key).adopt(read);
    }
    return Optional.ofNullable(read);
  }

  /** How many objects the caches keep in full, for tests and diagnostics. */
  int keptCount() {
    return stores.values().stream().mapToInt(ReferencedOnlyStore::keptCount).sum();
  }
}
