package dev.orderly.teardown;

/**
 * One kind in one namespace that a look needs to see change: its objects are read from an informer
 * cache and each change wakes whoever needs it. {@code namespace} is null for a cluster-scoped
 * kind.
 */
public record WatchKey(String apiVersion, String kind, String namespace) {

  /** Pods, whose DaemonSet-owned ones are counted until they are gone. */
  public static WatchKey pods(String namespace) {
    return new WatchKey("v1", "Pod", namespace);
  }

  /** DaemonSets, searched for by spec.uninstall.daemonSets and the release namespace. */
  public static WatchKey daemonSets(String namespace) {
    return new WatchKey("apps/v1", "DaemonSet", namespace);
  }

  public boolean clusterScoped() {
    return namespace == null;
  }

  @Override
  public String toString() {
    return kind + " (" + apiVersion + ")" + (namespace == null ? "" : " in " + namespace);
  }
}
