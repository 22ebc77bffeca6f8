package dev.orderly.teardown;

import dev.orderly.api.UninstallOptions;
import dev.orderly.chart.ChartCrd;
import dev.orderly.chart.HelmHookAnnotations;
import dev.orderly.chart.HookFinding;
import dev.orderly.chart.HookValidator;
import dev.orderly.chart.RenderedChart;
import dev.orderly.chart.RenderedObject;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ManifestObjects;
import dev.orderly.helm.ReleaseObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A teardown plan with what a reader needs beside it: the chart it came from, every object the
 * teardown leaves in place and why, and the hook annotation findings. The plan itself always comes
 * from {@link TeardownPlanner}, the planner the operator uses, so what is printed is what runs.
 *
 * @param chartName the chart's name; null when unknown
 * @param chartVersion the chart's version; null when unknown
 * @param revision the Helm revision the plan was read from, or null when made from a render
 */
public record ChartPlan(
    String chartName,
    String chartVersion,
    Integer revision,
    TeardownPlan plan,
    List<LeftInPlace> leftInPlace,
    List<HookFinding> findings) {

  /** Why a CRD from a chart's {@code crds/} directory stays. */
  public static final String CHART_CRD_DETAIL =
      "in crds/: Helm installs these once and never upgrades or deletes them";

  private static final String CRD_API_VERSION = "apiextensions.k8s.io/v1";

  public ChartPlan {
    Objects.requireNonNull(plan, "plan");
    leftInPlace = List.copyOf(leftInPlace);
    findings = List.copyOf(findings);
  }

  /**
   * The plan for installing {@code chart} as {@code releaseName} in {@code namespace} and then
   * deleting it; {@code options} null means the defaults.
   *
   * @throws IllegalArgumentException when a rendered object has no kind or name
   */
  public static ChartPlan fromChart(
      RenderedChart chart, String releaseName, String namespace, UninstallOptions options) {
    return fromChart(chart, releaseName, namespace, options, ResourceScopes.BUILT_IN);
  }

  /**
   * As {@link #fromChart(RenderedChart, String, String, UninstallOptions)}; custom kinds are
   * cluster-scoped as the chart's CRDs ({@code crds/} and {@code templates/}) or {@code known} (the
   * cluster's discovery) say.
   */
  public static ChartPlan fromChart(
      RenderedChart chart,
      String releaseName,
      String namespace,
      UninstallOptions options,
      ResourceScopes known) {
    ResourceScopes scopes = known.and(scopesOf(chart));
    ManifestSorter.Sorted sorted = ManifestSorter.sort(chart.objects());
    TeardownPlan plan =
        TeardownPlanner.plan(
            releaseName, namespace, null, sorted.objects(), sorted.hooks(), options, scopes);
    List<LeftInPlace> left = new ArrayList<>(kept(plan));
    for (ChartCrd crd : chart.crds()) {
      left.add(
          new LeftInPlace(
              LeftInPlace.Reason.ChartCrd,
              CRD_API_VERSION,
              "CustomResourceDefinition",
              null,
              crd.name(),
              crd.sourcePath(),
              CHART_CRD_DETAIL));
    }
    left.addAll(hookLeftovers(sorted.hooks(), namespace, options, scopes));
    for (RenderedObject object : sorted.dropped()) {
      left.add(dropped(object, namespace, scopes));
    }
    List<HookFinding> findings = new HookValidator().validate(chart);
    return new ChartPlan(chart.name(), chart.version(), null, plan, left, findings);
  }

  /** As {@link #fromRelease(HelmReleaseRecord, UninstallOptions, ResourceScopes)}. */
  public static ChartPlan fromRelease(HelmReleaseRecord record, UninstallOptions options) {
    return fromRelease(record, options, ResourceScopes.BUILT_IN);
  }

  /**
   * The plan for the release Helm recorded, exactly as the operator makes it. Findings come from
   * the stored hooks and manifest; objects Helm dropped on install are not in the record at all.
   * Custom kinds are cluster-scoped as the record's CRDs or {@code known} say.
   */
  public static ChartPlan fromRelease(
      HelmReleaseRecord record, UninstallOptions options, ResourceScopes known) {
    TeardownPlan plan = TeardownPlanner.plan(record, options, known);
    ResourceScopes scopes =
        known.and(
            ResourceScopes.ofCrds(ManifestObjects.customResourceDefinitions(record.manifest())));
    List<LeftInPlace> left = new ArrayList<>(kept(plan));
    left.addAll(hookLeftovers(record.hooks(), record.namespace(), options, scopes));
    List<RenderedObject> stored = new ArrayList<>();
    for (HelmHook hook : record.hooks()) {
      ManifestObjects.parse(hook.manifest()).forEach(o -> stored.add(asRendered(o, hook.path())));
    }
    record.objects().forEach(o -> stored.add(asRendered(o, o.source())));
    List<HookFinding> findings = new HookValidator().validate(stored);
    return new ChartPlan(
        record.chartName(), record.chartVersion(), record.version(), plan, left, findings);
  }

  /** Whether {@code finding} is about an object Helm drops, so the teardown never sees it. */
  public boolean isDroppedByHelm(HookFinding finding) {
    return leftInPlace.stream()
        .anyMatch(
            left ->
                left.reason() == LeftInPlace.Reason.DroppedByHelm
                    && Objects.equals(left.source(), finding.sourcePath())
                    && Objects.equals(left.kind(), finding.kind())
                    && Objects.equals(left.name(), finding.name()));
  }

  private static List<LeftInPlace> kept(TeardownPlan plan) {
    return plan.kept().stream()
        .map(
            step ->
                new LeftInPlace(
                    LeftInPlace.Reason.Kept,
                    step.apiVersion(),
                    step.kind(),
                    step.namespace(),
                    step.name(),
                    step.source(),
                    step.reason()))
        .toList();
  }

  /**
   * Hook objects that outlive the teardown: hooks it does not run, and hooks it runs whose delete
   * policies do not remove them afterwards. Hooks are not release objects, so neither Helm's
   * uninstall nor the teardown deletes them otherwise.
   */
  private static List<LeftInPlace> hookLeftovers(
      List<HelmHook> hooks,
      String releaseNamespace,
      UninstallOptions options,
      ResourceScopes scopes) {
    boolean hooksDisabled = options != null && options.isDisableHooks();
    List<LeftInPlace> left = new ArrayList<>();
    for (HelmHook hook : HookOrder.sort(hooks)) {
      boolean runs = hook.runsOn(HelmHook.PRE_DELETE) || hook.runsOn(HelmHook.POST_DELETE);
      boolean removedOnSuccess = hook.deletesOn(HelmHook.HOOK_SUCCEEDED);
      LeftInPlace.Reason reason;
      String detail;
      if (runs && !hooksDisabled) {
        if (removedOnSuccess) {
          continue;
        }
        reason = LeftInPlace.Reason.HookLeftAfterRun;
        detail =
            "stays after it runs: its delete policy "
                + String.join(",", hook.effectiveDeletePolicies())
                + " does not remove it";
      } else {
        reason = LeftInPlace.Reason.HookNotRun;
        detail =
            (runs
                    ? "not run, hooks are disabled"
                    : "a " + String.join(",", hook.events()) + " hook")
                + ": hooks are not release objects, so uninstall never deletes it"
                + (removedOnSuccess ? " (hook-succeeded removes it after a successful run)" : "");
      }
      ReleaseObject object = firstObject(hook);
      String apiVersion = object == null ? null : object.apiVersion();
      String namespace = object == null ? null : object.namespace();
      left.add(
          new LeftInPlace(
              reason,
              apiVersion,
              hook.kind(),
              scopes.namespaceFor(apiVersion, hook.kind(), namespace, releaseNamespace),
              hook.name(),
              hook.path(),
              detail));
    }
    return left;
  }

  private static LeftInPlace dropped(
      RenderedObject object, String releaseNamespace, ResourceScopes scopes) {
    String events = object.annotations().get(HelmHookAnnotations.HOOK);
    return new LeftInPlace(
        LeftInPlace.Reason.DroppedByHelm,
        object.apiVersion(),
        object.kind(),
        scopes.namespaceFor(
            object.apiVersion(), object.kind(), object.namespace(), releaseNamespace),
        object.name(),
        object.sourcePath(),
        "helm.sh/hook \""
            + events
            + "\" names an unknown event: Helm never installs, runs or tracks it");
  }

  private static ReleaseObject firstObject(HelmHook hook) {
    List<ReleaseObject> parsed = ManifestObjects.parse(hook.manifest());
    return parsed.isEmpty() ? null : parsed.get(0);
  }

  /** The cluster-scoped kinds defined by the chart's CRDs, in crds/ or rendered from templates. */
  private static ResourceScopes scopesOf(RenderedChart chart) {
    Set<String> keys = new HashSet<>();
    for (ChartCrd crd : chart.crds()) {
      if (crd.clusterScoped() && crd.kind() != null) {
        keys.add(ResourceScopes.key(crd.group(), crd.kind()));
      }
    }
    ResourceScopes fromCrdDirectories = ResourceScopes.of(keys);
    List<Map<String, Object>> rendered =
        chart.objects().stream()
            .filter(o -> KindPhases.isCustomResourceDefinition(o.apiVersion(), o.kind()))
            .map(RenderedObject::object)
            .toList();
    return fromCrdDirectories.and(ResourceScopes.ofCrds(rendered));
  }

  private static RenderedObject asRendered(ReleaseObject object, String source) {
    return new RenderedObject(
        Objects.toString(object.apiVersion(), ""),
        object.kind(),
        Objects.toString(object.namespace(), ""),
        object.name(),
        object.labels(),
        object.annotations(),
        Objects.toString(source, ""),
        Map.of());
  }
}
