package dev.orderly.reconciler;

import dev.orderly.api.OrderedRelease;
import dev.orderly.cache.Trimmed;
import dev.orderly.cache.TrimmedStore;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.StepObserver;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Helm's release records, as an informer on Secrets labelled {@code owner=helm} whose store keeps
 * their metadata only (about a kilobyte each, whatever the release's size). It tells the teardown
 * the latest revision's UID and status without a request, and wakes the releases being torn down
 * whose record changed or went: the Release phase ends on the record's deletion event, and a
 * blocked teardown sees a fixed record at once. Planning still reads the payload from the API
 * server. A namespace no informer watches is listed from the API server as before.
 */
final class ReleaseRecords implements StepObserver.RecordLookup {
  static final String RECORD_INDEX = "orderly.dev/releaseRecord";
  private static final String ALL = InformerNamespaces.INHERITED;

  private final ClusterObjects objects;
  private final Map<String, InformerEventSource<Secret, OrderedRelease>> sources =
      new LinkedHashMap<>();
  private final Map<String, TrimmedStore<Secret>> stores = new LinkedHashMap<>();
  private final boolean allWatched;
  private final Set<String> watched;

  ReleaseRecords(EventSourceContext<OrderedRelease> context, ClusterObjects objects) {
    this.objects = objects;
    context.getPrimaryCache().addIndexer(RECORD_INDEX, ReleaseRecords::recordKeys);
    Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
    for (String namespace : InformerNamespaces.of(context)) {
      TrimmedStore<Secret> store = new TrimmedStore<>(Trimmed::releaseRecord);
      var builder =
          InformerEventSourceConfiguration.from(Secret.class, OrderedRelease.class)
              .withName("helm-records" + (namespace.equals(ALL) ? "" : "-" + namespace))
              .withLabelSelector("owner=" + ReleaseRecordCodec.OWNER)
              .withItemStore(store)
              // Listed in pages, each trimmed as it is stored, never the whole list in memory at
              // once.
              .withInformerListLimit(InformerNamespaces.LIST_PAGE)
              .withSecondaryToPrimaryMapper(record -> tornDown(context, record));
      if (namespace.equals(ALL)) {
        builder.withNamespacesInheritedFromController();
      } else {
        builder.withNamespaces(namespace);
      }
      sources.put(namespace, new InformerEventSource<>(builder.build(), context));
      stores.put(namespace, store);
    }
    this.allWatched = InformerConfiguration.allNamespacesWatched(namespaces);
    this.watched = Set.copyOf(namespaces);
  }

  List<EventSource<?, OrderedRelease>> sources() {
    return new ArrayList<>(sources.values());
  }

  /**
   * Every revision of {@code release} in {@code namespace}, metadata only, from the cache when an
   * informer watches that namespace, else listed from the API server (with payloads).
   */
  @Override
  public List<Secret> releaseSecrets(String namespace, String release) {
    InformerEventSource<Secret, OrderedRelease> source = sourceFor(namespace);
    if (source == null) {
      return objects.releaseSecrets(namespace, release);
    }
    return ReleaseSecrets.revisions(release, source.list(namespace, secret -> true).toList());
  }

  /**
   * Whether an informer watches the records of {@code namespace}, so their changes wake the
   * releases torn down there and a look need not poll for them.
   */
  boolean watches(String namespace) {
    return sourceFor(namespace) != null;
  }

  /** How many records the caches hold, for tests and diagnostics. */
  int size() {
    return stores.values().stream().mapToInt(TrimmedStore::size).sum();
  }

  private InformerEventSource<Secret, OrderedRelease> sourceFor(String namespace) {
    if (!allWatched && !watched.contains(namespace)) {
      return null;
    }
    return sources.containsKey(ALL) ? sources.get(ALL) : sources.get(namespace);
  }

  /** Index keys for a release being torn down: "targetNamespace/releaseName" of its record. */
  static List<String> recordKeys(OrderedRelease release) {
    if (!release.isMarkedForDeletion() || release.getSpec() == null) {
      return List.of();
    }
    return List.of(release.targetNamespace() + "/" + release.releaseName());
  }

  private static Set<ResourceID> tornDown(
      EventSourceContext<OrderedRelease> context, Secret record) {
    Map<String, String> labels = record.getMetadata().getLabels();
    String release = labels == null ? null : labels.get("name");
    if (release == null) {
      return Set.of();
    }
    return context
        .getPrimaryCache()
        .byIndex(RECORD_INDEX, record.getMetadata().getNamespace() + "/" + release)
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
