package dev.orderly.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the operator just created or deleted, kept until an informer cache shows it, so a read from
 * a cache that lags behind answers with the operator's own write: a hook just made is never taken
 * for one that vanished, and an object whose delete was accepted is never deleted again.
 */
final class RecentWrites {
  /** One object, by apiVersion, kind, namespace and name. */
  record ObjectRef(String apiVersion, String kind, String namespace, String name) {}

  private final KubernetesSerialization serialization;
  private final Map<ObjectRef, GenericKubernetesResource> created = new ConcurrentHashMap<>();
  private final Map<ObjectRef, String> deleted = new ConcurrentHashMap<>();

  RecentWrites(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** {@code object} was just created, as the create returned it; ignored without a UID. */
  void created(ObjectRef ref, GenericKubernetesResource object) {
    if (object != null && object.getMetadata() != null && object.getMetadata().getUid() != null) {
      created.put(ref, object);
    }
  }

  /** A delete of {@code uid} was accepted. */
  void deleted(ObjectRef ref, String uid) {
    if (uid != null) {
      deleted.put(ref, uid);
    }
  }

  /**
   * An informer saw {@code object} change ({@code gone}: deleted): whatever it shows of a recent
   * write is forgotten.
   */
  void seen(ObjectRef ref, GenericKubernetesResource object, boolean gone) {
    String uid = object.getMetadata().getUid();
    GenericKubernetesResource mine = created.get(ref);
    if (mine != null && uid != null && uid.equals(mine.getMetadata().getUid())) {
      created.remove(ref, mine);
    }
    String deleting = deleted.get(ref);
    if (deleting != null
        && deleting.equals(uid)
        && (gone || object.getMetadata().getDeletionTimestamp() != null)) {
      deleted.remove(ref, deleting);
    }
  }

  /**
   * What to answer for {@code ref} when the cache holds {@code cached} (null: nothing): the object
   * just created while the cache has not caught up with it ({@code caughtUp} tells whether it has,
   * by resourceVersion), the cached object marked terminating while the cache has not seen an
   * accepted delete, else the cached object.
   */
  Optional<GenericKubernetesResource> answer(
      ObjectRef ref,
      GenericKubernetesResource cached,
      Predicate<GenericKubernetesResource> caughtUp) {
    GenericKubernetesResource mine = created.get(ref);
    if (mine != null) {
      if (sameUid(mine, cached) || caughtUp.test(mine)) {
        created.remove(ref, mine);
      } else {
        return Optional.of(mine);
      }
    }
    String deleting = deleted.get(ref);
    if (deleting != null) {
      boolean seen =
          cached == null
              || !deleting.equals(cached.getMetadata().getUid())
              || cached.getMetadata().getDeletionTimestamp() != null;
      if (seen) {
        deleted.remove(ref, deleting);
      } else {
        GenericKubernetesResource terminating = serialization.clone(cached);
        terminating.getMetadata().setDeletionTimestamp(Instant.now().toString());
        return Optional.of(terminating);
      }
    }
    return Optional.ofNullable(cached);
  }

  /** Forgets everything. */
  void clear() {
    created.clear();
    deleted.clear();
  }

  private static boolean sameUid(GenericKubernetesResource mine, GenericKubernetesResource cached) {
    return cached != null && mine.getMetadata().getUid().equals(cached.getMetadata().getUid());
  }
}
