package dev.orderly.api;

/** The phases of an ordered teardown, in the order they run. Each finishes before the next. */
public enum TeardownPhase {
  PreDeleteHooks,
  CustomResources,
  DaemonSets,
  Workloads,
  ConfigAndNetwork,
  Rbac,
  Release,
  PostDeleteHooks,
  /** Everything is gone; the finalizer may be removed. */
  Done;

  /** The phase after this one; {@code Done} stays {@code Done}. */
  public TeardownPhase next() {
    return this == Done ? Done : values()[ordinal() + 1];
  }
}
