package dev.orderly.reconciler;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.cache.Trimmed;
import dev.orderly.cache.TrimmedStore;
import dev.orderly.dependencies.DependencyGraph;
import dev.orderly.dependencies.ReleaseNodes;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.OnDemandWatches;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The event sources that wake an OrderedRelease: the ConfigMaps and Secrets its valuesFrom names
 * (so a fixed or edited reference applies at once), the end of its Helm operations, the changes to
 * whatever it watches on demand ({@link OnDemandWatches}: while it waits for readiness, or is torn
 * down), and the OrderedReleases related to it by spec.dependsOn, so waiting costs nothing.
 */
public class ReleaseEventSources {
  private static final String VALUES_INDEX = "orderly.dev/valuesFrom";
  private static final String DEPENDS_INDEX = "orderly.dev/dependsOn";
  private final TenancyPolicy tenancy;
  private final SimpleInboundEventSource<OrderedRelease> helmFinished =
      new SimpleInboundEventSource<>("helm-operations");
  private final SimpleInboundEventSource<OrderedRelease> droppedDependencies =
      new SimpleInboundEventSource<>("dropped-dependencies");
  private final SimpleInboundEventSource<OrderedRelease> watchedChanges =
      new SimpleInboundEventSource<>("on-demand-watches");
  private ReferencedObjects<ConfigMap> configMaps;
  private ReferencedObjects<Secret> secrets;
  private volatile ReleaseRecords records;
  private volatile List<InformerEventSource<OrderedRelease, OrderedRelease>> dependencies =
      List.of();
  private volatile Consumer<ResourceID> gone = id -> {};

  public ReleaseEventSources() {
    this(TenancyPolicy.NONE);
  }

  /**
   * @param tenancy whether dependsOn edges into other namespaces count (see {@link
   *     #dependencyGraph})
   */
  public ReleaseEventSources(TenancyPolicy tenancy) {
    this.tenancy = tenancy;
  }

  /** Creates the sources; JOSDK calls this once through the reconciler. */
  public List<EventSource<?, OrderedRelease>> create(EventSourceContext<OrderedRelease> context) {
    context.getPrimaryCache().addIndexer(VALUES_INDEX, ReleaseEventSources::referencedKeys);
    configMaps =
        new ReferencedObjects<>(
            ConfigMap.class,
            ConfigMap::new,
            context,
            (namespace, name) -> referencing(context, "ConfigMap", namespace, name));
    secrets =
        new ReferencedObjects<>(
            Secret.class,
            Secret::new,
            context,
            (namespace, name) -> referencing(context, "Secret", namespace, name));
    records = new ReleaseRecords(context, new ClusterObjects(context.getClient()));
    context.getPrimaryCache().addIndexer(DEPENDS_INDEX, ReleaseEventSources::dependencyKeys);
    List<InformerEventSource<OrderedRelease, OrderedRelease>> dependencySources = new ArrayList<>();
    for (String namespace : InformerNamespaces.of(context)) {
      dependencySources.add(
          new InformerEventSource<>(dependencySource(context, namespace), context) {
            @Override
            public void onUpdate(OrderedRelease previous, OrderedRelease updated) {
              super.onUpdate(previous, updated);
              // The mapper sees only the new object: a dependency just dropped from dependsOn
              // (waiting, maybe, for this dependent to go) is woken here.
              DependencyChanges.dropped(updated, previous).stream()
                  .map(key -> new ResourceID(key.name(), key.namespace()))
                  .forEach(droppedDependencies::propagateEvent);
            }

            @Override
            public void onDelete(OrderedRelease deleted, boolean finalStateUnknown) {
              super.onDelete(deleted, finalStateUnknown);
              // Gone, however (its finalizer removed by hand mid-teardown too): nothing it
              // watched is needed for it any more.
              gone.accept(ResourceID.fromResource(deleted));
            }
          });
    }
    dependencies = List.copyOf(dependencySources);
    List<EventSource<?, OrderedRelease>> sources =
        new ArrayList<>(List.of(helmFinished, droppedDependencies, watchedChanges));
    sources.addAll(dependencies);
    sources.addAll(configMaps.sources());
    sources.addAll(secrets.sources());
    sources.addAll(records.sources());
    return sources;
  }

  /** Tells {@code gone} of each OrderedRelease that no longer exists. */
  void onGone(Consumer<ResourceID> gone) {
    this.gone = gone;
  }

  /** Wakes {@code id}: something it watches on demand changed, or its watch finished syncing. */
  void watchedChange(ResourceID id) {
    watchedChanges.propagateEvent(id);
  }

  /**
   * OrderedReleases again, as a secondary source: a change of one wakes the releases that depend on
   * it (it became Ready, or appeared) and the ones it depends on (it is gone, so their teardown may
   * start). Its cache is the snapshot {@link #dependencyGraph()} reads.
   */
  private static InformerEventSourceConfiguration<OrderedRelease> dependencySource(
      EventSourceContext<OrderedRelease> context, String namespace) {
    var builder =
        InformerEventSourceConfiguration.from(OrderedRelease.class, OrderedRelease.class)
            .withName("orderedrelease-dependencies" + (namespace.isEmpty() ? "" : "-" + namespace))
            // A second copy of every OrderedRelease, so only what the graph reads is kept.
            .withItemStore(new TrimmedStore<>(Trimmed::dependencyNode))
            .withInformerListLimit(InformerNamespaces.LIST_PAGE)
            .withOnUpdateFilter(new DependencyChanges())
            .withSecondaryToPrimaryMapper(changed -> related(context, changed));
    return (namespace.isEmpty()
            ? builder.withNamespacesInheritedFromController()
            : builder.withNamespaces(namespace))
        .build();
  }

  private static Set<ResourceID> related(
      EventSourceContext<OrderedRelease> context, OrderedRelease changed) {
    Set<ResourceID> related =
        context
            .getPrimaryCache()
            .byIndex(DEPENDS_INDEX, ReleaseNodes.key(changed).toString())
            .stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    ReleaseNodes.dependsOn(changed).stream()
        .map(key -> new ResourceID(key.name(), key.namespace()))
        .forEach(related::add);
    return related;
  }

  /** Index keys: the "namespace/name" of each OrderedRelease this one depends on. */
  static List<String> dependencyKeys(OrderedRelease release) {
    return ReleaseNodes.dependsOn(release).stream().map(Object::toString).distinct().toList();
  }

  /**
   * Every OrderedRelease in the watched namespaces with its dependencies, as the informer cache has
   * them, never read from the API server, and {@code fresher} in place of the cache's copy. Edges
   * the operator refuses (dependsOn into another namespace with --no-cross-namespace-refs) are left
   * out: they neither order installs nor hold teardowns.
   */
  DependencyGraph dependencyGraph(OrderedRelease fresher) {
    boolean crossNamespace = !tenancy.noCrossNamespaceRefs();
    List<OrderedRelease> releases =
        dependencies.stream().flatMap(InformerEventSource::list).toList();
    return ReleaseNodes.graph(releases, crossNamespace)
        .with(ReleaseNodes.node(fresher, crossNamespace));
  }

  /** Wakes {@code id} from a Helm thread when its operation has finished. */
  void wake(ResourceID id) {
    helmFinished.propagateEvent(id);
  }

  /** Reads valuesFrom references from the informer caches, never from the API server. */
  ValuesResolver valuesResolver() {
    return new ValuesResolver(cachedObjects());
  }

  /** The resourceVersion of the Secret chart.secretRef names, as the informer cache has it. */
  Optional<String> chartSecretVersion(OrderedRelease release) {
    ChartSource chart = release.getSpec().getChart();
    if (chart == null || chart.getSecretRef() == null || chart.getSecretRef().getName() == null) {
      return Optional.empty();
    }
    return secrets
        .get(release.getMetadata().getNamespace(), chart.getSecretRef().getName())
        .map(secret -> secret.getMetadata().getResourceVersion());
  }

  /** Reads chart.secretRef from the Secret informer's cache, never from the API server. */
  ChartCredentialsResolver credentialsResolver() {
    return new ChartCredentialsResolver(cachedObjects());
  }

  private ValuesResolver.ObjectLookup cachedObjects() {
    return new ValuesResolver.ObjectLookup() {
      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return configMaps.get(namespace, name);
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return secrets.get(namespace, name);
      }
    };
  }

  private static Set<ResourceID> referencing(
      EventSourceContext<OrderedRelease> context, String kind, String namespace, String name) {
    return context
        .getPrimaryCache()
        .byIndex(VALUES_INDEX, kind + "/" + namespace + "/" + name)
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * Helm's release Secrets of {@code release}, metadata only, from the record informer's cache
   * (listed from the API server before the informers exist or where none watches).
   */
  public List<Secret> releaseSecrets(ClusterObjects api, String namespace, String release) {
    ReleaseRecords cached = records;
    return cached == null
        ? api.releaseSecrets(namespace, release)
        : cached.releaseSecrets(namespace, release);
  }

  /** Whether the record informer watches {@code namespace}, its changes waking the teardown. */
  public boolean recordsWatched(String namespace) {
    ReleaseRecords cached = records;
    return cached != null && cached.watches(namespace);
  }

  /**
   * What the secondary caches hold.
   *
   * @param valuesConfigMaps ConfigMaps kept in full for valuesFrom
   * @param valuesSecrets Secrets kept in full for valuesFrom and chart.secretRef
   * @param releaseRecords Helm record Secrets, metadata only
   * @param dependencyNodes OrderedReleases, trimmed to what the dependency graph reads
   */
  public record CachedCounts(
      int valuesConfigMaps, int valuesSecrets, int releaseRecords, int dependencyNodes) {}

  /** What the secondary caches hold now (tests, diagnostics). */
  public CachedCounts cached() {
    return new CachedCounts(
        configMaps.keptCount(),
        secrets.keptCount(),
        records.size(),
        (int) dependencies.stream().flatMap(InformerEventSource::list).count());
  }

  /** The ConfigMaps and Secrets a release reads: valuesFrom, and chart.secretRef. */
  static List<String> referencedKeys(OrderedRelease release) {
    if (release.getSpec() == null) {
      return List.of();
    }
    String namespace = release.getMetadata().getNamespace();
    List<String> keys = new ArrayList<>();
    release.getSpec().getValuesFrom().stream()
        .filter(ref -> ref != null && ref.getKind() != null)
        .map(ref -> key(ref, namespace))
        .forEach(keys::add);
    ChartSource chart = release.getSpec().getChart();
    if (chart != null && chart.getSecretRef() != null && chart.getSecretRef().getName() != null) {
      keys.add(
          ValuesReference.Kind.Secret.name()
              + "/"
              + namespace
              + "/"
              + chart.getSecretRef().getName());
    }
    return keys;
  }

  private static String key(ValuesReference ref, String namespace) {
    return ref.getKind().name() + "/" + namespace + "/" + ref.getName();
  }
}
