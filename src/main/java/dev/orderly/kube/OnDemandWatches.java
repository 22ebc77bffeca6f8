package dev.orderly.kube;

import dev.orderly.cache.Trimmed;
import dev.orderly.cache.TrimmedStore;
import dev.orderly.kube.RecentWrites.ObjectRef;
import dev.orderly.teardown.WatchKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers started while some release needs them and stopped when none does. Each release says
 * what it needs ({@link #need}); a kind in a namespace is watched once however many releases need
 * it, and every change to it wakes each of them. Nothing here waits for the cluster: informers
 * start on a thread of their own, a key reads {@link State#SYNCING} until its cache is complete
 * (the end of the sync wakes its releases), and a list or watch the API server refuses, or a kind
 * it does not serve, leaves the key {@link State#UNAVAILABLE}, for the caller to read by GET.
 *
 * <p>When all namespaces may be watched and more than {@code clusterWideAbove} namespaces need the
 * same namespaced kind at once, one cluster-wide informer serves them all: it is started, reads
 * switch to it once it has synced, and the per-namespace ones stop; it stays until nobody needs the
 * kind. With a fixed set of watched namespaces it never goes cluster-wide.
 */
public class OnDemandWatches implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnDemandWatches.class);

  /** More namespaces than this needing one kind share a cluster-wide informer. */
  public static final int CLUSTER_WIDE_ABOVE = 10;

  /**
   * Kinds always watched per namespace, however many namespaces need them: a cluster holds many of
   * them that belong to no release (every Helm record is a Secret), so a cluster-wide list would
   * cost what the releases' namespaces never do.
   */
  static final Set<String> NEVER_CLUSTER_WIDE = Set.of("Secret", "ConfigMap");

  /** Objects per page of an informer's list. */
  static final long LIST_PAGE = 500;

  /**
   * How long a key may stay syncing (its list failing and retried, or its watch not established)
   * before it is read by GET instead; and how soon an unavailable key is tried again, or a refused
   * one (RBAC may have been fixed).
   *
   * @param syncTimeout after this, a key still syncing is unavailable
   * @param retryAfter an informer that failed is started again after this
   * @param retryRefusedAfter an informer refused (401, 403) or not served (404) is started again
   *     after this
   */
  public record Timing(Duration syncTimeout, Duration retryAfter, Duration retryRefusedAfter) {
    public static final Timing DEFAULT =
        new Timing(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5));
  }

  /** Where a key's objects can be read from. */
  public enum State {
    /** Its informer is starting; its cache is not complete yet. */
    SYNCING,
    /** Read from the cache; changes wake whoever needs it. */
    SYNCED,
    /** Not watched (refused, not served, or not needed): read it from the API server. */
    UNAVAILABLE
  }

  /** The informer for a kind in one namespace; namespace null: in all, or cluster-scoped. */
  private record Source(String apiVersion, String kind, String namespace) {
    static Source of(WatchKey key) {
      return new Source(key.apiVersion(), key.kind(), key.namespace());
    }

    static Source wide(WatchKey key) {
      return new Source(key.apiVersion(), key.kind(), null);
    }
  }

  private static final class Watch {
    final Source source;
    volatile State state = State.SYNCING;
    volatile boolean refused;
    volatile SharedIndexInformer<GenericKubernetesResource> informer;
    volatile boolean stopped;

    Watch(Source source) {
      this.source = source;
    }
  }

  private final KubernetesClient client;
  private final boolean mayWatchClusterWide;
  private final int clusterWideAbove;
  private final Timing timing;
  private final ExecutorService starter;
  private final ScheduledExecutorService timer;
  private volatile Consumer<ResourceID> wake = id -> {};
  private final Map<ResourceID, Set<WatchKey>> needs = new HashMap<>();
  private final Map<WatchKey, Set<ResourceID>> needers = new HashMap<>();
  private final Map<Source, Watch> watches = new HashMap<>();
  private final RecentWrites recent;
  private boolean closed;

  /**
   * @param mayWatchClusterWide whether the operator watches all namespaces, so one cluster-wide
   *     informer may replace many namespaced ones
   */
  public OnDemandWatches(KubernetesClient client, boolean mayWatchClusterWide) {
    this(client, mayWatchClusterWide, CLUSTER_WIDE_ABOVE, Timing.DEFAULT);
  }

  public OnDemandWatches(
      KubernetesClient client, boolean mayWatchClusterWide, int clusterWideAbove, Timing timing) {
    this.client = client;
    this.mayWatchClusterWide = mayWatchClusterWide;
    this.clusterWideAbove = clusterWideAbove;
    this.timing = timing;
    this.recent = new RecentWrites(client.getKubernetesSerialization());
    // A thread per start: discovery blocks, and one that hangs must not hold up the others.
    this.starter = Executors.newCachedThreadPool(daemon("orderly-watch-starter"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("orderly-watch-timer"));
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Whom to wake: called with each release that needs a key that changed or finished syncing. */
  public void wakeWith(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /**
   * Replaces what {@code release} needs with {@code keys}: missing informers start (without
   * waiting), ones nobody needs any more stop.
   */
  public void need(ResourceID release, Set<WatchKey> keys) {
    List<Watch> toStop;
    synchronized (this) {
      if (closed) {
        return;
      }
      Set<WatchKey> before = needs.getOrDefault(release, Set.of());
      if (before.equals(keys)) {
        return;
      }
      before.forEach(key -> dropNeeder(key, release));
      if (keys.isEmpty()) {
        needs.remove(release);
      } else {
        needs.put(release, Set.copyOf(keys));
        keys.forEach(key -> needers.computeIfAbsent(key, k -> new HashSet<>()).add(release));
      }
      toStop = arrange();
    }
    stop(toStop);
  }

  /** {@code release} needs nothing any more. */
  public void forget(ResourceID release) {
    need(release, Set.of());
  }

  /** Where {@code key}'s objects can be read from now. */
  public synchronized State state(WatchKey key) {
    Watch serving = serving(key);
    return serving == null ? State.UNAVAILABLE : serving.state;
  }

  /**
   * The object {@code name} of {@code key} as the cache has it, or as the operator just created it
   * when the cache has not seen that yet; only for a {@link State#SYNCED} key.
   */
  public Optional<GenericKubernetesResource> get(WatchKey key, String name) {
    SharedIndexInformer<GenericKubernetesResource> informer = syncedInformer(key);
    String cacheKey = key.namespace() == null ? name : key.namespace() + "/" + name;
    GenericKubernetesResource cached = informer.getIndexer().getByKey(cacheKey);
    return recent.answer(
        new ObjectRef(key.apiVersion(), key.kind(), key.namespace(), name),
        cached,
        mine -> caughtUp(informer, mine));
  }

  /** Every object of {@code key} in the cache; only for a {@link State#SYNCED} key. */
  public List<GenericKubernetesResource> list(WatchKey key) {
    SharedIndexInformer<GenericKubernetesResource> informer = syncedInformer(key);
    return key.namespace() == null
        ? informer.getIndexer().list()
        : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, key.namespace());
  }

  /** As {@link #list(WatchKey)}, each object converted to {@code type}. */
  public <T> List<T> list(WatchKey key, Class<T> type) {
    return list(key).stream()
        .map(object -> client.getKubernetesSerialization().convertValue(object, type))
        .toList();
  }

  /**
   * Remembers an object of {@code key} the operator just created (as the create returned it) until
   * the cache has seen its UID, and answers with it meanwhile: a hook just made is never taken for
   * one that vanished.
   */
  public void created(WatchKey key, GenericKubernetesResource object) {
    if (object != null && object.getMetadata() != null) {
      recent.created(
          new ObjectRef(
              key.apiVersion(), key.kind(), key.namespace(), object.getMetadata().getName()),
          object);
    }
  }

  /**
   * Remembers that a delete of {@code uid} was accepted, so a cache that has not seen it yet
   * answers with the object terminating rather than prompting the same delete again.
   */
  public void deleted(String apiVersion, String kind, String namespace, String name, String uid) {
    recent.deleted(new ObjectRef(apiVersion, kind, namespace, name), uid);
  }

  /** How many informers run (or start) now, for tests and metrics. */
  public synchronized Set<String> running() {
    Set<String> running = new LinkedHashSet<>();
    watches.keySet().stream()
        .map(s -> s.kind() + "/" + (s.namespace() == null ? "*" : s.namespace()))
        .sorted()
        .forEach(running::add);
    return running;
  }

  /** Stops every informer. */
  @Override
  public void close() {
    List<Watch> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(watches.values());
      watches.clear();
      needs.clear();
      needers.clear();
    }
    stop(all);
    starter.shutdownNow();
    timer.shutdownNow();
    recent.clear();
  }

  private void dropNeeder(WatchKey key, ResourceID release) {
    Set<ResourceID> ids = needers.get(key);
    if (ids != null) {
      ids.remove(release);
      if (ids.isEmpty()) {
        needers.remove(key);
      }
    }
  }

  private SharedIndexInformer<GenericKubernetesResource> syncedInformer(WatchKey key) {
    Watch serving;
    synchronized (this) {
      serving = serving(key);
    }
    if (serving == null || serving.state != State.SYNCED || serving.informer == null) {
      throw new IllegalStateException(key + " is not read from a synced cache");
    }
    return serving.informer;
  }

  /** The informer that answers for {@code key}: the cluster-wide one once synced, else its own. */
  private Watch serving(WatchKey key) {
    Watch wide = watches.get(Source.wide(key));
    if (key.namespace() == null || (wide != null && wide.state == State.SYNCED)) {
      return wide;
    }
    Watch own = watches.get(Source.of(key));
    return own != null ? own : wide;
  }

  /** Starts what is needed and missing; returns what nobody needs any more, to be stopped. */
  private List<Watch> arrange() {
    Map<Source, Set<String>> namespacesByKind = new HashMap<>();
    Set<Source> desired = new HashSet<>();
    for (WatchKey key : needers.keySet()) {
      if (key.namespace() == null) {
        desired.add(Source.wide(key));
      } else {
        namespacesByKind
            .computeIfAbsent(Source.wide(key), k -> new HashSet<>())
            .add(key.namespace());
      }
    }
    namespacesByKind.forEach(
        (wideSource, namespaces) -> {
          Watch wide = watches.get(wideSource);
          boolean wideWanted =
              mayWatchClusterWide
                  && !NEVER_CLUSTER_WIDE.contains(wideSource.kind())
                  && (wide != null || namespaces.size() > clusterWideAbove);
          boolean wideServes = wideWanted && wide != null && wide.state == State.SYNCED;
          boolean wideRefused = wide != null && wide.state == State.UNAVAILABLE;
          if (wideWanted) {
            desired.add(wideSource);
          }
          for (String namespace : namespaces) {
            Source own = new Source(wideSource.apiVersion(), wideSource.kind(), namespace);
            // Kept until the cluster-wide informer has synced, so reads never go back to syncing.
            boolean keep = !wideWanted || wideRefused || (!wideServes && watches.containsKey(own));
            if (keep) {
              desired.add(own);
            }
          }
        });
    List<Watch> toStop = new ArrayList<>();
    watches
        .entrySet()
        .removeIf(
            entry -> {
              if (desired.contains(entry.getKey())) {
                return false;
              }
              entry.getValue().stopped = true;
              toStop.add(entry.getValue());
              return true;
            });
    for (Source source : desired) {
      if (!watches.containsKey(source)) {
        Watch watch = new Watch(source);
        watches.put(source, watch);
        starter.execute(() -> start(watch));
        timer.schedule(
            () -> syncTimedOut(watch), timing.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return toStop;
  }

  private void start(Watch watch) {
    Source source = watch.source;
    SharedIndexInformer<GenericKubernetesResource> informer;
    try {
      if (watch.stopped) {
        return;
      }
      var kind = client.genericKubernetesResources(source.apiVersion(), source.kind());
      informer =
          (source.namespace() == null
                  ? kind.inAnyNamespace()
                  : kind.inNamespace(source.namespace()))
              // Listed in pages, each trimmed as it is stored: a namespace of large objects
              // (Helm's records among its Secrets) never sits in memory whole.
              .withLimit(LIST_PAGE)
              .runnableInformer(0);
      informer.itemStore(new TrimmedStore<>(Trimmed::observedObject));
      // A first list refused (401, 403) or of a kind not served (404, 405): no retry, the key is
      // read by GET. Anything else (5xx, 429, a lost connection) is retried with fabric8's
      // backoff while the key stays syncing; a running informer re-establishes its watch.
      informer.exceptionHandler((started, failure) -> started || !refused(failure));
      informer.addEventHandler(new Changes(watch));
    } catch (RuntimeException e) {
      unavailable(watch, e);
      return;
    }
    synchronized (this) {
      if (watch.stopped) {
        return;
      }
      watch.informer = informer;
    }
    LOG.debug("starting to watch {}", describe(source));
    informer
        .start()
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                unavailable(watch, failure);
              } else {
                synced(watch);
              }
            });
    informer
        .stopped()
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null && watch.state == State.SYNCED) {
                unavailable(watch, failure);
              }
            });
  }

  private void syncTimedOut(Watch watch) {
    if (watch.state == State.SYNCING && !watch.stopped) {
      unavailable(watch, new IllegalStateException("not synced within " + timing.syncTimeout()));
    }
  }

  /** Starts {@code watch}'s informer afresh, if it is still the one for its source. */
  private void retry(Watch watch) {
    List<Watch> toStop;
    synchronized (this) {
      if (closed || watches.get(watch.source) != watch) {
        return;
      }
      watches.remove(watch.source);
      watch.stopped = true;
      toStop = arrange();
    }
    stop(toStop);
  }

  private static boolean refused(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException e) {
        int code = e.getCode();
        return code == 401 || code == 403 || code == 404 || code == 405;
      }
    }
    return false;
  }

  private void synced(Watch watch) {
    Set<ResourceID> toWake;
    List<Watch> toStop;
    synchronized (this) {
      if (watch.stopped || closed) {
        return;
      }
      watch.state = State.SYNCED;
      toWake = needersServedBy(watch.source);
      toStop = arrange();
    }
    LOG.debug("watching {}", describe(watch.source));
    stop(toStop);
    toWake.forEach(wake);
  }

  private void unavailable(Watch watch, Throwable failure) {
    Set<ResourceID> toWake;
    List<Watch> toStop;
    synchronized (this) {
      if (watch.stopped || closed) {
        return;
      }
      // This informer is done with; retry() starts a new one.
      watch.stopped = true;
      watch.state = State.UNAVAILABLE;
      watch.refused = refused(failure);
      toWake = needersServedBy(watch.source);
      toStop = arrange();
      Duration later = watch.refused ? timing.retryRefusedAfter() : timing.retryAfter();
      timer.schedule(() -> retry(watch), later.toMillis(), TimeUnit.MILLISECONDS);
    }
    LOG.warn(
        "cannot watch {}; reading it from the API server instead: {}",
        describe(watch.source),
        failure.getMessage());
    SharedIndexInformer<GenericKubernetesResource> informer = watch.informer;
    if (informer != null) {
      informer.stop();
    }
    stop(toStop);
    toWake.forEach(wake);
  }

  private Set<ResourceID> needersServedBy(Source source) {
    Set<ResourceID> ids = new HashSet<>();
    needers.forEach(
        (key, releases) -> {
          boolean served =
              key.apiVersion().equals(source.apiVersion())
                  && key.kind().equals(source.kind())
                  && (source.namespace() == null || source.namespace().equals(key.namespace()));
          if (served) {
            ids.addAll(releases);
          }
        });
    return ids;
  }

  private synchronized Set<ResourceID> needersOf(WatchKey key) {
    Set<ResourceID> ids = needers.get(key);
    return ids == null ? Set.of() : Set.copyOf(ids);
  }

  private static void stop(List<Watch> watches) {
    for (Watch watch : watches) {
      watch.stopped = true;
      SharedIndexInformer<GenericKubernetesResource> informer = watch.informer;
      if (informer != null) {
        LOG.debug("no longer watching {}", describe(watch.source));
        informer.stop();
      }
    }
  }

  private static String describe(Source source) {
    return source.kind()
        + " ("
        + source.apiVersion()
        + ")"
        + (source.namespace() == null ? " cluster-wide" : " in " + source.namespace());
  }

  // resourceVersions are opaque, but etcd's are increasing numbers: a cache whose last event is at
  // or after the create has seen it, or seen it go.
  private static boolean caughtUp(
      SharedIndexInformer<GenericKubernetesResource> informer, GenericKubernetesResource mine) {
    try {
      long synced = Long.parseLong(String.valueOf(informer.lastSyncResourceVersion()));
      long made = Long.parseLong(String.valueOf(mine.getMetadata().getResourceVersion()));
      return synced >= made;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static ObjectRef refOf(String apiVersion, String kind, GenericKubernetesResource object) {
    return new ObjectRef(
        apiVersion, kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  /** Clears what the cache now shows, and wakes whoever needs the key that changed. */
  private final class Changes implements ResourceEventHandler<GenericKubernetesResource> {
    private final Watch watch;

    Changes(Watch watch) {
      this.watch = watch;
    }

    @Override
    public void onAdd(GenericKubernetesResource object) {
      changed(object, false);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource object) {
      changed(object, false);
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
      changed(object, true);
    }

    private void changed(GenericKubernetesResource object, boolean gone) {
      Source source = watch.source;
      recent.seen(refOf(source.apiVersion(), source.kind(), object), object, gone);
      if (watch.state != State.SYNCED || watch.stopped) {
        return; // the end of the sync wakes everyone who needs it
      }
      WatchKey key =
          new WatchKey(source.apiVersion(), source.kind(), object.getMetadata().getNamespace());
      needersOf(key).forEach(wake);
    }
  }
}
