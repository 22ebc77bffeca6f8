package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownStep;
import dev.orderly.helm.MalformedReleaseException;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.kube.OnDemandWatches.State;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.Observed.HookOutcome;
import dev.orderly.teardown.WatchKey;
import dev.orderly.teardown.WatchNeeds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at the objects of one phase's unfinished steps. The operator reads them from the caches of
 * {@link OnDemandWatches} (what the operator just created is answered as created until the cache
 * has it, so a new hook is never mistaken for one that vanished), and by GET a kind it cannot watch
 * or one whose cache is still filling; DaemonSet pods are counted from the Pod cache. An object the
 * cache has shown still there for a while is read by GET now and then ({@link CacheDoubt}), so a
 * cache that missed its delete never holds a teardown. The command line, with no watches, reads
 * everything by GET.
 */
public class StepObserver {
  /** Helm's release Secrets of a release, every revision; their labels and UID are read. */
  public interface RecordLookup {
    List<Secret> releaseSecrets(String namespace, String release);

    /**
     * Whether the records of {@code namespace} are watched, so a change wakes the look and it need
     * not poll; false when they are listed from the API server.
     */
    default boolean watched(String namespace) {
      return false;
    }
  }

  private final ClusterObjects objects;
  private final OnDemandWatches watches;
  private final RecordLookup records;
  private final CacheDoubt doubt;

  /** Reads every object and the release record from the API server (the one-shot CLI). */
  public StepObserver(ClusterObjects objects) {
    // Nothing is read from a cache, so nothing is ever in doubt.
    this(objects, null, objects::releaseSecrets, new CacheDoubt(System::nanoTime, Duration.ZERO));
  }

  /**
   * Reads from {@code watches}' caches (null: none), and by GET only the keys it cannot watch.
   *
   * @param records where the record's Secrets are seen, e.g. an informer cache of their metadata
   * @param doubt when an object a cache still shows is read from the API server instead
   */
  public StepObserver(
      ClusterObjects objects, OnDemandWatches watches, RecordLookup records, CacheDoubt doubt) {
    this.objects = objects;
    this.watches = watches;
    this.records = records;
    this.doubt = doubt;
  }

  /** Says what {@code release}'s next look needs watched; nothing without watches. */
  public void need(ResourceID release, Set<WatchKey> keys) {
    if (watches != null) {
      watches.need(release, keys);
    }
  }

  /** {@code release} needs nothing watched any more. */
  public void forget(ResourceID release) {
    doubt.forget(release);
    if (watches != null) {
      watches.forget(release);
    }
  }

  /** {@code step}'s object, just created by the operator, as the create returned it. */
  public void created(TeardownStep step, GenericKubernetesResource object) {
    if (watches != null) {
      watches.created(WatchNeeds.of(step), object);
    }
  }

  /**
   * The objects of {@code key} as converted to {@code type}, from its cache; empty when it is not
   * read from a synced cache (without watches, never), so the caller lists them from the API.
   */
  public <T> Optional<List<T>> cached(WatchKey key, Class<T> type) {
    if (stateOf(key) != State.SYNCED) {
      return Optional.empty();
    }
    return Optional.of(watches.list(key, type));
  }

  /** A delete of {@code step}'s object {@code uid} was accepted. */
  public void deleted(TeardownStep step, String uid) {
    if (watches != null) {
      watches.deleted(
          step.getApiVersion(), step.getKind(), step.getNamespace(), step.getName(), uid);
    }
  }

  /**
   * Observations of {@code release}'s {@code steps}, by the same indexes. Helm's release record is
   * seen through its Secrets: the latest revision's UID and status, or absent when none is left.
   *
   * @param steps the steps to look at, by their index in the teardown
   */
  public Map<Integer, Observed> observe(
      ResourceID release, Map<Integer, TeardownStep> steps, String releaseUid) {
    Map<Integer, Observed> observed = new HashMap<>();
    for (Map.Entry<Integer, TeardownStep> entry : steps.entrySet()) {
      int i = entry.getKey();
      TeardownStep step = entry.getValue();
      if (WatchNeeds.record(step)) {
        observed.put(i, observeRecord(release, step));
        continue;
      }
      Observed seen = observeCached(step, releaseUid);
      if (seen != null) {
        String object = describe(step);
        if (seen.gone()) {
          doubt.settled(release, object);
        } else if (doubt.confirmNow(release, object)) {
          seen = null;
        }
      }
      observed.put(i, seen == null ? observeLive(step, releaseUid) : seen);
    }
    return observed;
  }

  // From the caches, or null when the step's kind (or the Pods it counts) is not read from a
  // synced one: a key still syncing is read by GET and polled, so a look always decides.
  private Observed observeCached(TeardownStep step, String releaseUid) {
    WatchKey key = WatchNeeds.of(step);
    WatchKey podKey = WatchNeeds.countsPods(step) ? WatchKey.pods(step.getNamespace()) : null;
    if (stateOf(key) != State.SYNCED || (podKey != null && stateOf(podKey) != State.SYNCED)) {
      return null;
    }
    Optional<GenericKubernetesResource> cached = watches.get(key, step.getName());
    Observed seen = toObserved(cached, step, releaseUid);
    if ("DaemonSet".equals(step.getKind())) {
      String owner = seen.exists() ? seen.uid() : step.getUid();
      int pods =
          owner == null || podKey == null
              ? 0
              : (int) watches.list(podKey).stream().filter(pod -> ownedBy(pod, owner)).count();
      seen = seen.withRemainingPods(pods);
    }
    return seen.fromWatch();
  }

  private Observed observeLive(TeardownStep step, String releaseUid) {
    Optional<GenericKubernetesResource> live =
        objects.get(step.getApiVersion(), step.getKind(), step.getNamespace(), step.getName());
    Observed seen = toObserved(live, step, releaseUid);
    if ("DaemonSet".equals(step.getKind())) {
      String owner = seen.exists() ? seen.uid() : step.getUid();
      seen =
          seen.withRemainingPods(
              owner == null ? 0 : objects.podsOwnedBy(step.getNamespace(), owner));
    }
    return seen;
  }

  private static Observed toObserved(
      Optional<GenericKubernetesResource> object, TeardownStep step, String releaseUid) {
    Observed seen = object.map(o -> toObserved(o, step.getKind())).orElse(Observed.absent());
    return object.isPresent() && createdBy(object.get(), releaseUid) ? seen.createdByUs() : seen;
  }

  private static String describe(TeardownStep step) {
    return step.getApiVersion()
        + "/"
        + step.getKind()
        + "/"
        + step.getNamespace()
        + "/"
        + step.getName();
  }

  private State stateOf(WatchKey key) {
    return watches == null ? State.UNAVAILABLE : watches.state(key);
  }

  private static boolean ownedBy(HasMetadata object, String uid) {
    return object.getMetadata().getOwnerReferences() != null
        && object.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
  }

  private static boolean createdBy(GenericKubernetesResource object, String releaseUid) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return releaseUid != null
        && labels != null
        && releaseUid.equals(labels.get(OrderedRelease.TEARDOWN_LABEL));
  }

  // A watched record still there is confirmed by listing now and then, as any cached object.
  private Observed observeRecord(ResourceID release, TeardownStep step) {
    String namespace = step.getNamespace();
    if (!records.watched(namespace)) {
      return recordIn(records.releaseSecrets(namespace, step.getName()), step.getName());
    }
    Observed seen = recordIn(records.releaseSecrets(namespace, step.getName()), step.getName());
    if (!seen.exists()) {
      doubt.settled(release, describe(step));
    } else if (doubt.confirmNow(release, describe(step))) {
      return recordIn(objects.releaseSecrets(namespace, step.getName()), step.getName());
    }
    return seen.fromWatch();
  }

  private static Observed recordIn(List<Secret> secrets, String release) {
    return ReleaseSecrets.latest(release, secrets)
        .map(latest -> Observed.releaseRecord(latest.getMetadata().getUid(), statusOf(latest)))
        .orElse(Observed.absent());
  }

  // Helm labels every revision with its status; the payload is only read when a label is missing
  // (a cached record has none), and one that cannot be read has no status to tell (removing the
  // record needs none).
  private static String statusOf(Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    String status = labels == null ? null : labels.get("status");
    if (status != null) {
      return status;
    }
    try {
      return ReleaseRecordCodec.decode(secret).status();
    } catch (MalformedReleaseException e) {
      return null;
    }
  }

  // By the step's kind: objects listed by an informer need not carry theirs.
  private static Observed toObserved(GenericKubernetesResource object, String kind) {
    Observed seen = Observed.present(object.getMetadata().getUid());
    if (object.getMetadata().getDeletionTimestamp() != null) {
      seen = seen.terminatingNow();
    }
    return switch (kind) {
      case "Job" -> jobOutcome(seen, object);
      case "Pod" -> podOutcome(seen, object);
      // Helm treats every other hook kind as ready the moment it exists.
      default -> seen.withOutcome(HookOutcome.Succeeded, null);
    };
  }

  @SuppressWarnings("unchecked")
  private static Observed jobOutcome(Observed seen, GenericKubernetesResource job) {
    Object status = job.getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> map ? map.get("conditions") : null;
    if (!(conditions instanceof List<?> list)) {
      return seen;
    }
    for (Object item : list) {
      Map<String, Object> condition = (Map<String, Object>) item;
      if (!"True".equals(condition.get("status"))) {
        continue;
      }
      String type = String.valueOf(condition.get("type"));
      // Kubernetes 1.31+ sets SuccessCriteriaMet/FailureTarget before Complete/Failed.
      if (type.equals("Complete") || type.equals("SuccessCriteriaMet")) {
        return seen.withOutcome(HookOutcome.Succeeded, null);
      }
      if (type.equals("Failed") || type.equals("FailureTarget")) {
        return seen.withOutcome(
            HookOutcome.Failed, "Job " + condition.get("reason") + ": " + condition.get("message"));
      }
    }
    return seen;
  }

  private static Observed podOutcome(Observed seen, GenericKubernetesResource pod) {
    Object status = pod.getAdditionalProperties().get("status");
    Object phase = status instanceof Map<?, ?> map ? map.get("phase") : null;
    if ("Succeeded".equals(phase)) {
      return seen.withOutcome(HookOutcome.Succeeded, null);
    }
    if ("Failed".equals(phase)) {
      Object reason = ((Map<?, ?>) status).get("reason");
      return seen.withOutcome(
          HookOutcome.Failed, "Pod failed" + (reason == null ? "" : ": " + reason));
    }
    return seen;
  }
}
