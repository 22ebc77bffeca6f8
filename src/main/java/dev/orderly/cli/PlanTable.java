package dev.orderly.cli;

import dev.orderly.api.TeardownPhase;
import dev.orderly.chart.HelmHookAnnotations;
import dev.orderly.chart.HookFinding;
import dev.orderly.teardown.ChartPlan;
import dev.orderly.teardown.LeftInPlace;
import dev.orderly.teardown.PlannedStep;
import dev.orderly.teardown.TeardownPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The plan as text for people: a short header, every phase numbered in the order it runs with its
 * objects in aligned rows, what is left in place, then the hook findings. Plain ASCII, so it reads
 * the same in any terminal and log.
 */
final class PlanTable {

  private static final String ROW_INDENT = "     ";
  private static final List<String> HOOK_HEADER =
      List.of("WEIGHT", "KIND", "NAME", "DELETE POLICY", "WAITS FOR");

  private PlanTable() {}

  static String render(PlanReport report) {
    ChartPlan chartPlan = report.plan();
    TeardownPlan plan = chartPlan.plan();
    List<String> lines = new ArrayList<>(header(report));
    TextColumns hookColumns = TextColumns.fitting(hookRows(plan.steps(), true));
    TextColumns objectColumns = TextColumns.fitting(objectRows(plan.steps()));
    int number = 1;
    for (TeardownPhase phase : PlanWording.PHASES) {
      lines.add("");
      lines.add(number++ + ". " + phase + " - " + PlanWording.phase(phase, report.options()));
      List<PlannedStep> steps = plan.stepsIn(phase);
      if (steps.isEmpty()) {
        lines.add(ROW_INDENT + "(nothing)");
      } else if (isHookPhase(phase)) {
        hookRows(steps, true).forEach(row -> lines.add(hookColumns.line(ROW_INDENT, row)));
      } else {
        objectRows(steps).forEach(row -> lines.add(objectColumns.line(ROW_INDENT, row)));
      }
    }
    lines.add("");
    lines.addAll(leftInPlace(chartPlan.leftInPlace()));
    lines.add("");
    lines.addAll(findings(chartPlan));
    return String.join("\n", lines) + "\n";
  }

  private static List<String> header(PlanReport report) {
    ChartPlan plan = report.plan();
    String chart =
        Objects.toString(plan.chartName(), "(unknown chart)")
            + (plan.chartVersion() == null ? "" : " " + plan.chartVersion())
            + " ("
            + report.origin()
            + (plan.revision() == null ? "" : ", revision " + plan.revision())
            + ")";
    return List.of(
        "Teardown plan for release "
            + plan.plan().releaseName()
            + " in namespace "
            + plan.plan().releaseNamespace(),
        "Chart:     " + chart,
        "Deletes:   propagationPolicy " + report.options().getDeletionPropagation(),
        "Timeouts:  " + PlanWording.timeouts(report.options()));
  }

  private static boolean isHookPhase(TeardownPhase phase) {
    return phase == TeardownPhase.PreDeleteHooks || phase == TeardownPhase.PostDeleteHooks;
  }

  /** Rows of the hook steps among {@code steps}, with the column header first when asked. */
  private static List<List<String>> hookRows(List<PlannedStep> steps, boolean withHeader) {
    List<List<String>> rows = new ArrayList<>();
    if (withHeader) {
      rows.add(HOOK_HEADER);
    }
    for (PlannedStep step : steps) {
      if (step.action() == PlannedStep.Action.RunHook) {
        rows.add(
            List.of(
                String.valueOf(step.weight()),
                step.kind(),
                PlanWording.qualifiedName(step.namespace(), step.name()),
                String.join(",", step.deletePolicies()),
                PlanWording.waitsFor(step)));
      }
    }
    return rows;
  }

  private static List<List<String>> objectRows(List<PlannedStep> steps) {
    List<List<String>> rows = new ArrayList<>();
    for (PlannedStep step : steps) {
      if (step.action() == PlannedStep.Action.RunHook) {
        continue;
      }
      String name = PlanWording.qualifiedName(step.namespace(), step.name());
      if (step.action() == PlannedStep.Action.Keep) {
        rows.add(List.of(step.kind(), name, "KEEP: " + PlanWording.keptShort(step.reason())));
      } else if (step.reason() != null) {
        rows.add(List.of(step.kind(), name, step.reason()));
      } else {
        rows.add(List.of(step.kind(), name));
      }
    }
    return rows;
  }

  private static List<String> leftInPlace(List<LeftInPlace> left) {
    if (left.isEmpty()) {
      return List.of("Left in place: nothing.");
    }
    List<List<String>> rows = new ArrayList<>();
    for (LeftInPlace object : left) {
      rows.add(List.of(object.kind(), object.qualifiedName(), PlanWording.leftInPlace(object)));
    }
    TextColumns columns = TextColumns.fitting(rows);
    List<String> lines = new ArrayList<>();
    lines.add("Left in place:");
    rows.forEach(row -> lines.add(columns.line("  ", row)));
    return lines;
  }

  private static List<String> findings(ChartPlan plan) {
    List<HookFinding> findings = plan.findings();
    if (findings.isEmpty()) {
      return List.of("No hook findings.");
    }
    List<String> lines = new ArrayList<>();
    lines.add("Findings (" + findings.size() + "):");
    HookFinding previous = null;
    for (HookFinding finding : findings) {
      // Findings come grouped by object (HookFinding.REPORT_ORDER): name each object once.
      if (previous == null || !sameObject(previous, finding)) {
        lines.add(
            "  "
                + finding.sourcePath()
                + "  "
                + finding.kind()
                + "/"
                + finding.name()
                + (plan.isDroppedByHelm(finding) ? "  (dropped by Helm)" : ""));
      }
      lines.add("    " + badValue(finding) + " (fix: " + finding.suggestedFix() + ")");
      lines.add("      " + finding.message());
      previous = finding;
    }
    return lines;
  }

  /** The annotation and the token at fault, which for a misspelt key is the key itself. */
  private static String badValue(HookFinding finding) {
    if (finding.token().equals(finding.annotation())) {
      return finding.annotation();
    }
    // Helm trims event and policy entries, so their spaces are noise; a weight is not trimmed, and
    // an upgrade reads the resource policy untrimmed.
    boolean raw =
        finding.annotation().equals(HelmHookAnnotations.HOOK_WEIGHT)
            || finding.annotation().equals(HelmHookAnnotations.RESOURCE_POLICY);
    String token = raw ? finding.token() : finding.token().strip();
    return finding.annotation() + ": \"" + token + "\"";
  }

  private static boolean sameObject(HookFinding a, HookFinding b) {
    return a.sourcePath().equals(b.sourcePath())
        && a.kind().equals(b.kind())
        && a.name().equals(b.name());
  }
}
