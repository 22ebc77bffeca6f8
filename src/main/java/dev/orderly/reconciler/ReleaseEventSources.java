package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The event sources that wake an OrderedRelease: the ConfigMaps and Secrets its valuesFrom names
 * (so a fixed or edited reference applies at once) and the end of its Helm operations.
 */
class ReleaseEventSources {
  private static final String VALUES_INDEX = "orderly.dev/valuesFrom";

  private final SimpleInboundEventSource<OrderedRelease> helmFinished =
      new SimpleInboundEventSource<>("helm-operations");
  private InformerEventSource<ConfigMap, OrderedRelease> configMaps;
  private InformerEventSource<Secret, OrderedRelease> secrets;

  List<EventSource<?, OrderedRelease>> create(EventSourceContext<OrderedRelease> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            VALUES_INDEX,
            release ->
                release.getSpec() == null
                    ? List.of()
                    : release.getSpec().getValuesFrom().stream()
                        .filter(ref -> ref != null && ref.getKind() != null)
                        .map(ref -> key(ref, release.getMetadata().getNamespace()))
                        .toList());
    configMaps = new InformerEventSource<>(valuesSource(ConfigMap.class, context), context);
    secrets = new InformerEventSource<>(valuesSource(Secret.class, context), context);
    return List.of(configMaps, secrets, helmFinished);
  }

  /** Wakes {@code id} from a Helm thread when its operation has finished. */
  void wake(ResourceID id) {
    helmFinished.propagateEvent(id);
  }

  /** Reads valuesFrom references from the informer caches, never from the API server. */
  ValuesResolver valuesResolver() {
    return new ValuesResolver(
        new ValuesResolver.ObjectLookup() {
          @Override
          public Optional<ConfigMap> configMap(String namespace, String name) {
            return configMaps.get(new ResourceID(name, namespace));
          }

          @Override
          public Optional<Secret> secret(String namespace, String name) {
            return secrets.get(new ResourceID(name, namespace));
          }
        });
  }

  private static <R extends HasMetadata> InformerEventSourceConfiguration<R> valuesSource(
      Class<R> type, EventSourceContext<OrderedRelease> context) {
    return InformerEventSourceConfiguration.from(type, OrderedRelease.class)
        .withName(type.getSimpleName().toLowerCase() + "-values")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(
            object -> referencing(context, type.getSimpleName(), object))
        .build();
  }

  private static Set<ResourceID> referencing(
      EventSourceContext<OrderedRelease> context, String kind, HasMetadata object) {
    String key = kind + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    return context.getPrimaryCache().byIndex(VALUES_INDEX, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String key(ValuesReference ref, String namespace) {
    return ref.getKind().name() + "/" + namespace + "/" + ref.getName();
  }
}
