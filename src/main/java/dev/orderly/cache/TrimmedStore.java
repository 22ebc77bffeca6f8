package dev.orderly.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer store that keeps each object as {@code trim} reduces it, so the cache holds only the
 * fields its readers use. Unlike fabric8's ReducedStateItemStore it keeps typed objects, so a read
 * costs no deserialization. What it hands out is shared: callers must not modify it.
 *
 * <p>The trimmed copy must keep metadata name, namespace and resourceVersion: the informer keys by
 * the first two and compares the third to tell an update from a repeat.
 */
public final class TrimmedStore<R extends HasMetadata> implements ItemStore<R> {
  private final UnaryOperator<R> trim;
  private final Map<String, R> items = new ConcurrentHashMap<>();

  public TrimmedStore(UnaryOperator<R> trim) {
    this.trim = trim;
  }

  @Override
  public String getKey(R object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public R put(String key, R object) {
    return items.put(key, trim.apply(object));
  }

  @Override
  public R remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<R> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public R get(String key) {
    return items.get(key);
  }
}
