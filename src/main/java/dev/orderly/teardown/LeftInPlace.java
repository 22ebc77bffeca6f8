package dev.orderly.teardown;

/**
 * An object the teardown does not delete, and why: kept by policy, a CRD from {@code crds/}, a hook
 * object that outlives it, or an object Helm dropped and so never tracked. {@code namespace} is
 * null for cluster-scoped objects; {@code apiVersion} and {@code source} may be null when unknown.
 */
public record LeftInPlace(
    Reason reason,
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String source,
    String detail) {

  /** Why the object stays. */
  public enum Reason {
    /** Listed in a phase as {@link PlannedStep.Action#Keep}: resource-policy keep or a CRD. */
    Kept,
    /** In a chart's {@code crds/} directory: Helm installs it once and never deletes it. */
    ChartCrd,
    /**
     * A hook the teardown does not run (other events only, or hooks disabled): hooks are not
     * release objects, so uninstall never deletes it.
     */
    HookNotRun,
    /** A hook the teardown runs whose delete policies do not remove it once it has succeeded. */
    HookLeftAfterRun,
    /** Its {@code helm.sh/hook} names an unknown event, so Helm skipped it on install. */
    DroppedByHelm
  }

  /** {@code namespace/name}, or just the name for cluster-scoped objects. */
  public String qualifiedName() {
    return namespace == null ? name : namespace + "/" + name;
  }
}
