package dev.orderly.api;

/** The phases of an ordered teardown, in the order they run. Each finishes before the next. */
public enum TeardownPhase {
  PreDeleteHooks,
  CustomResources,
  /**
   * APIServices, admission webhooks and admission policies: gone before any workload stops, so no
   * request in the cluster is sent to a backend that is shutting down.
   */
  Admission,
  DaemonSets,
  Workloads,
  ConfigAndNetwork,
  Rbac,
  Release,
  PostDeleteHooks,
  /**
   * The release's own Namespace objects, last of all: deleting a Namespace deletes everything in it
   * at once, RBAC included, and nothing, a post-delete hook included, can be created in it after.
   */
  Namespaces,
  /** Everything is gone; the finalizer may be removed. */
  Done;

  /** The phase after this one; {@code Done} stays {@code Done}. */
  public TeardownPhase next() {
    return this == Done ? Done : values()[ordinal() + 1];
  }
}
