package dev.orderly.teardown;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.ReleaseObject;
import java.util.List;

/**
 * One thing the teardown will do, or deliberately not do, to one object: a plain value to print and
 * persist. {@code namespace} is null for cluster-scoped objects; {@code weight} and {@code
 * deletePolicies} (Helm's effective policies) are set for hooks only; {@code reason} says why a
 * step is {@link Action#Keep} or otherwise needs explaining; {@code manifest} is the hook's
 * rendered object, carried so post-delete hooks can still be created once Helm's record is gone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlannedStep(
    TeardownPhase phase,
    Action action,
    String apiVersion,
    String kind,
    String namespace,
    String name,
    Long weight,
    List<String> deletePolicies,
    String source,
    String reason,
    String manifest) {

  /** What the step does. */
  public enum Action {
    /** Create the hook's object and wait for it, honouring its delete policies. */
    RunHook,
    /** Delete the object and wait until it is gone. */
    Delete,
    /** Leave the object in the cluster; listed so the plan shows what survives and why. */
    Keep,
    /** Remove Helm's record of the release (or mark it uninstalled when history is kept). */
    RemoveRelease
  }

  /** The apiVersion used for the {@link Action#RemoveRelease} step: Helm's storage format. */
  public static final String RELEASE_API_VERSION = "helm.sh/release.v1";

  /** The kind used for the {@link Action#RemoveRelease} step. */
  public static final String RELEASE_KIND = "Release";

  public PlannedStep {
    deletePolicies = deletePolicies == null ? null : List.copyOf(deletePolicies);
  }

  /** Runs {@code hook} in a hook phase; apiVersion and namespace come from its manifest. */
  static PlannedStep runHook(
      TeardownPhase phase, HelmHook hook, String apiVersion, String namespace) {
    return new PlannedStep(
        phase,
        Action.RunHook,
        apiVersion,
        hook.kind(),
        namespace,
        hook.name(),
        hook.weight(),
        hook.effectiveDeletePolicies(),
        hook.path(),
        null,
        hook.manifest());
  }

  /** Deletes {@code object}, whose namespace is already resolved; {@code reason} may be null. */
  static PlannedStep delete(TeardownPhase phase, ReleaseObject object, String reason) {
    return of(phase, Action.Delete, object, reason);
  }

  /** Lists {@code object} as kept, for {@code reason}. */
  static PlannedStep keep(TeardownPhase phase, ReleaseObject object, String reason) {
    return of(phase, Action.Keep, object, reason);
  }

  /** Removes Helm's record of the release. */
  static PlannedStep removeRelease(String releaseName, String namespace, String reason) {
    return new PlannedStep(
        TeardownPhase.Release,
        Action.RemoveRelease,
        RELEASE_API_VERSION,
        RELEASE_KIND,
        namespace,
        releaseName,
        null,
        null,
        null,
        reason,
        null);
  }

  /** Whether the step deletes a release object (not a hook, not a kept object). */
  public boolean deletes() {
    return action == Action.Delete;
  }

  /**
   * The persisted form: Pending, or Skipped with the reason when the object is kept; hooks carry
   * their weight, effective delete policies and manifest.
   */
  public TeardownStep toTeardownStep() {
    TeardownStep step = new TeardownStep();
    step.setPhase(phase);
    step.setApiVersion(apiVersion);
    step.setKind(kind);
    step.setNamespace(namespace);
    step.setName(name);
    step.setWeight(weight);
    step.setState(action == Action.Keep ? TeardownStep.State.Skipped : TeardownStep.State.Pending);
    step.setMessage(reason);
    step.setDeletePolicies(deletePolicies);
    step.setManifest(manifest);
    return step;
  }

  private static PlannedStep of(
      TeardownPhase phase, Action action, ReleaseObject object, String reason) {
    return new PlannedStep(
        phase,
        action,
        object.apiVersion(),
        object.kind(),
        object.namespace(),
        object.name(),
        null,
        null,
        object.source(),
        reason,
        null);
  }
}
