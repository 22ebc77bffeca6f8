package dev.orderly.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An informer store that keeps in full only the objects {@code referenced} says some release reads,
 * and of every other object only its key and resourceVersion (about 100 bytes), so ten thousand
 * unrelated Secrets cost a megabyte, not their contents.
 *
 * <p>Why a stub rather than nothing: the informer's cache updates its namespace index for every
 * object it puts, but removes the index entry only when the store gives back what it held, and a
 * relist removes only what {@link #values()} shows. With stubs every put, delete and relist of an
 * unrelated object is seen, so no index entry or key outlives its object. Stubs are never handed
 * out by {@link #get}: a lookup of an unreferenced object misses, and the caller reads it from the
 * API server and may {@link #adopt} it.
 *
 * <p>Whether an object is referenced is asked on each of its events: one referenced later is kept
 * from its next change on (which still wakes its release), or at once through {@link #adopt}; one
 * no longer referenced is dropped to a stub at its next change.
 */
public final class ReferencedOnlyStore<R extends HasMetadata> implements ItemStore<R> {
  private final BiPredicate<String, String> referenced;
  private final Supplier<R> empty;
  private final Map<String, R> kept = new ConcurrentHashMap<>();
  private final Map<String, String> unreferenced = new ConcurrentHashMap<>();

  /**
   * @param referenced whether some release reads the object of (namespace, name)
   * @param empty a new empty object of the kind, for stubs
   */
  public ReferencedOnlyStore(BiPredicate<String, String> referenced, Supplier<R> empty) {
    this.referenced = referenced;
    this.empty = empty;
  }

  @Override
  public String getKey(R object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public synchronized R put(String key, R object) {
    ObjectMeta metadata = object.getMetadata();
    if (referenced.test(metadata.getNamespace(), metadata.getName())) {
      R previous = kept.put(key, object);
      String stubVersion = unreferenced.remove(key);
      return previous != null ? previous : stub(key, stubVersion);
    }
    R previous = kept.remove(key);
    String stubVersion = unreferenced.put(key, String.valueOf(metadata.getResourceVersion()));
    return previous != null ? previous : stub(key, stubVersion);
  }

  @Override
  public synchronized R remove(String key) {
    R previous = kept.remove(key);
    String stubVersion = unreferenced.remove(key);
    return previous != null ? previous : stub(key, stubVersion);
  }

  /**
   * Keeps {@code read}, just read from the API server for a release that references it, if the
   * informer's latest event for it carried the same resourceVersion; otherwise the informer has
   * seen a change (or a deletion) the read may predate, and its next event decides. True if kept.
   */
  public synchronized boolean adopt(R read) {
    String key = getKey(read);
    String seen = unreferenced.get(key);
    if (seen == null || !seen.equals(read.getMetadata().getResourceVersion())) {
      return false;
    }
    unreferenced.remove(key);
    kept.put(key, read);
    return true;
  }

  @Override
  public Stream<String> keySet() {
    return Stream.concat(kept.keySet().stream(), unreferenced.keySet().stream());
  }

  /** The kept objects and the stubs, so a relist removes the stubs of objects now gone. */
  @Override
  public Stream<R> values() {
    return Stream.concat(
        kept.values().stream(),
        unreferenced.entrySet().stream().map(e -> stub(e.getKey(), e.getValue())));
  }

  @Override
  public int size() {
    return kept.size() + unreferenced.size();
  }

  /** How many objects are kept in full. */
  public int keptCount() {
    return kept.size();
  }

  /** The kept object; empty for an unreferenced (or unknown) one. */
  @Override
  public R get(String key) {
    return kept.get(key);
  }

  private R stub(String key, String resourceVersion) {
    if (resourceVersion == null) {
      return null;
    }
    int slash = key.indexOf('/');
    R stub = empty.get();
    stub.setMetadata(new ObjectMeta());
    stub.getMetadata().setNamespace(slash < 0 ? null : key.substring(0, slash));
    stub.getMetadata().setName(key.substring(slash + 1));
    stub.getMetadata().setResourceVersion(resourceVersion);
    return stub;
  }

  @Override
  public String toString() {
    return "ReferencedOnlyStore[kept=" + kept.size() + ", stubs=" + unreferenced.size() + "]";
  }
}
