package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.UninstallOptions;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ManifestObjects;
import dev.orderly.helm.ReleaseObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link TeardownPlan} of a release: pre-delete hooks in {@link HookOrder}, the
 * release's objects phase by phase in {@link KindPhases} rank, Helm's record, post-delete hooks,
 * then the release's Namespaces. Pure: the same inputs always give the same plan.
 *
 * <p>Objects annotated {@code helm.sh/resource-policy} (with any value, as Helm) are listed as
 * {@link PlannedStep.Action#Keep} and never deleted. A CustomResourceDefinition in the record was
 * rendered from templates/ (Helm records none from crds/). Deleting one deletes every custom
 * resource of its kind in the whole cluster, other releases' included, so it is kept unless {@code
 * spec.uninstall.crds} is Delete; then it is deleted in the Release phase, after Helm's record,
 * which is the Release phase's first step.
 */
public final class TeardownPlanner {
  /** Why an object with the keep resource policy stays. */
  public static final String KEEP_REASON = "helm.sh/resource-policy: keep";

  /**
   * Why an object whose resource policy is not exactly keep stays: Helm 3.21's uninstall keeps
   * every object that has the annotation, whatever its value.
   */
  public static String keepReason(String resourcePolicy) {
    if (ReleaseObject.isExactKeep(resourcePolicy)) {
      return KEEP_REASON;
    }
    return "helm.sh/resource-policy: \""
        + resourcePolicy
        + "\" (Helm keeps an object with this annotation whatever its value)";
  }

  /** Why a CRD rendered from templates/ stays by default. */
  public static final String CRD_KEPT_REASON =
      "spec.uninstall.crds is Keep: deleting a CRD deletes every custom resource of its kind in"
          + " the whole cluster, other releases' included; set crds: Delete to delete it";

  /** What deleting a CRD rendered from templates/ means, when the spec asks for it. */
  public static final String CRD_DELETE_REASON =
      "spec.uninstall.crds is Delete: deleted with every custom resource of its kind, cluster-wide";

  /** Why the Release step keeps history. */
  public static final String KEEP_HISTORY_REASON =
      "keepHistory: Helm's record is kept and marked uninstalled";

  private TeardownPlanner() {}

  /** The plan for a release as Helm recorded it, scopes known from its own CRDs only. */
  public static TeardownPlan plan(HelmReleaseRecord record, UninstallOptions options) {
    return plan(record, options, ResourceScopes.BUILT_IN);
  }

  /**
   * The plan for a release as Helm recorded it; custom kinds are cluster-scoped as the record's own
   * CRDs or {@code known} (the cluster's discovery) say.
   */
  public static TeardownPlan plan(
      HelmReleaseRecord record, UninstallOptions options, ResourceScopes known) {
    ResourceScopes scopes =
        known.and(
            ResourceScopes.ofCrds(ManifestObjects.customResourceDefinitions(record.manifest())));
    return plan(
        record.name(),
        record.namespace(),
        record.version(),
        record.objects(),
        record.hooks(),
        options,
        scopes);
  }

  /** As {@link #plan(String, String, Integer, List, List, UninstallOptions, ResourceScopes)}. */
  public static TeardownPlan plan(
      String releaseName,
      String releaseNamespace,
      Integer revision,
      List<ReleaseObject> objects,
      List<HelmHook> hooks,
      UninstallOptions options) {
    return plan(
        releaseName, releaseNamespace, revision, objects, hooks, options, ResourceScopes.BUILT_IN);
  }

  /**
   * The plan for a release given as objects and hooks, as the {@code plan} command has them after
   * rendering a chart. {@code revision} may be null; {@code options} null means the defaults;
   * {@code scopes} says which custom kinds get no namespace.
   */
  public static TeardownPlan plan(
      String releaseName,
      String releaseNamespace,
      Integer revision,
      List<ReleaseObject> objects,
      List<HelmHook> hooks,
      UninstallOptions options,
      ResourceScopes scopes) {
    UninstallOptions uninstall = options == null ? new UninstallOptions() : options;
    List<PlannedStep> steps = new ArrayList<>();
    if (!uninstall.isDisableHooks()) {
      steps.addAll(
          hookSteps(
              TeardownPhase.PreDeleteHooks, HelmHook.PRE_DELETE, hooks, releaseNamespace, scopes));
    }
    List<PlannedStep> objectSteps = objectSteps(objects, releaseNamespace, uninstall, scopes);
    steps.addAll(phasesFrom(TeardownPhase.PreDeleteHooks, TeardownPhase.Release, objectSteps));
    // Helm's record goes first in its phase, before any CRD the spec asks to delete.
    steps.add(
        PlannedStep.removeRelease(
            releaseName, releaseNamespace, uninstall.isKeepHistory() ? KEEP_HISTORY_REASON : null));
    steps.addAll(phasesFrom(TeardownPhase.Release, TeardownPhase.PostDeleteHooks, objectSteps));
    if (!uninstall.isDisableHooks()) {
      steps.addAll(
          hookSteps(
              TeardownPhase.PostDeleteHooks,
              HelmHook.POST_DELETE,
              hooks,
              releaseNamespace,
              scopes));
    }
    // The release's Namespaces last, after the post-delete hooks that may run inside them.
    steps.addAll(phasesFrom(TeardownPhase.Namespaces, TeardownPhase.Done, objectSteps));
    return new TeardownPlan(releaseName, releaseNamespace, revision, steps);
  }

  /** The steps of the phases from {@code first} up to, not including, {@code end}, in order. */
  private static List<PlannedStep> phasesFrom(
      TeardownPhase first, TeardownPhase end, List<PlannedStep> steps) {
    return steps.stream()
        .filter(step -> step.phase().compareTo(first) >= 0 && step.phase().compareTo(end) < 0)
        .toList();
  }

  private static List<PlannedStep> hookSteps(
      TeardownPhase phase,
      String event,
      List<HelmHook> hooks,
      String releaseNamespace,
      ResourceScopes scopes) {
    List<PlannedStep> steps = new ArrayList<>();
    for (HelmHook hook : HookOrder.forEvent(hooks == null ? List.of() : hooks, event)) {
      // The stored hook has no apiVersion or namespace of its own; its manifest has them.
      ReleaseObject object = hookObject(hook);
      String apiVersion = object == null ? null : object.apiVersion();
      String namespace =
          object == null
              ? releaseNamespace
              : scopes.namespaceFor(
                  object.apiVersion(), hook.kind(), object.namespace(), releaseNamespace);
      steps.add(PlannedStep.runHook(phase, hook, apiVersion, namespace));
    }
    return steps;
  }

  /**
   * The hooks a teardown would run (pre-delete and post-delete, unless {@code options} disable
   * hooks) whose manifests do not parse, each with what is wrong, in record order. {@link #plan}
   * refuses a record with any; hooks of other events never run in a teardown and are not checked.
   */
  public static Map<HelmHook, String> unparsableHooks(
      List<HelmHook> hooks, UninstallOptions options) {
    Map<HelmHook, String> broken = new LinkedHashMap<>();
    if (hooks == null || (options != null && options.isDisableHooks())) {
      return broken;
    }
    for (HelmHook hook : hooks) {
      if (!hook.runsOn(HelmHook.PRE_DELETE) && !hook.runsOn(HelmHook.POST_DELETE)) {
        continue;
      }
      try {
        hookObject(hook);
      } catch (IllegalArgumentException e) {
        broken.put(hook, e.getMessage());
      }
    }
    return broken;
  }

  private static ReleaseObject hookObject(HelmHook hook) {
    try {
      List<ReleaseObject> parsed = ManifestObjects.parse(hook.manifest());
      return parsed.isEmpty() ? null : parsed.get(0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hook " + hook.kind() + " " + hook.name() + ": " + e.getMessage(), e);
    }
  }

  private static List<PlannedStep> objectSteps(
      List<ReleaseObject> objects,
      String releaseNamespace,
      UninstallOptions uninstall,
      ResourceScopes scopes) {
    List<Placed> placed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ReleaseObject object : objects == null ? List.<ReleaseObject>of() : objects) {
      ReleaseObject resolved = resolveNamespace(object, releaseNamespace, scopes);
      // Helm tolerates the same object twice in a manifest; one step per object keeps status clear.
      if (seen.add(identity(resolved))) {
        placed.add(new Placed(resolved, placed.size()));
      }
    }
    // List.sort is stable, but the index makes manifest order the explicit last tie-breaker.
    placed.sort(
        Comparator.comparingInt(Placed::phaseOrdinal)
            .thenComparingInt(Placed::rank)
            .thenComparing(Placed::kind, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(Placed::index));
    return placed.stream().map(p -> stepFor(p.object(), uninstall)).toList();
  }

  private static PlannedStep stepFor(ReleaseObject object, UninstallOptions uninstall) {
    TeardownPhase phase = KindPhases.phaseOf(object.apiVersion(), object.kind());
    if (object.hasResourcePolicy()) {
      return PlannedStep.keep(phase, object, keepReason(object.resourcePolicy()));
    }
    if (KindPhases.isCustomResourceDefinition(object.apiVersion(), object.kind())) {
      return uninstall.getCrds() == UninstallOptions.CrdPolicy.Delete
          ? PlannedStep.delete(phase, object, CRD_DELETE_REASON)
          : PlannedStep.keep(phase, object, CRD_KEPT_REASON);
    }
    return PlannedStep.delete(phase, object, null);
  }

  private static ReleaseObject resolveNamespace(
      ReleaseObject object, String releaseNamespace, ResourceScopes scopes) {
    String namespace =
        scopes.namespaceFor(
            object.apiVersion(), object.kind(), object.namespace(), releaseNamespace);
    return new ReleaseObject(
        object.apiVersion(),
        object.kind(),
        namespace,
        object.name(),
        object.labels(),
        object.annotations(),
        object.source());
  }

  private static String identity(ReleaseObject object) {
    return object.group() + "/" + object.kind() + "/" + object.namespace() + "/" + object.name();
  }

  /** An object with its manifest position, for a stable sort. */
  private record Placed(ReleaseObject object, int index) {
    int phaseOrdinal() {
      return KindPhases.phaseOf(object.apiVersion(), object.kind()).ordinal();
    }

    int rank() {
      return KindPhases.rankOf(object.apiVersion(), object.kind());
    }

    String kind() {
      return object.kind();
    }
  }
}
