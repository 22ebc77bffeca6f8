package dev.orderly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.UninstallOptions;
import dev.orderly.chart.HookFinding;
import dev.orderly.teardown.ChartPlan;
import dev.orderly.teardown.LeftInPlace;
import dev.orderly.teardown.PlannedStep;
import java.util.List;

/**
 * The plan as JSON for scripts. The shape is stable: every key is always present (null when it does
 * not apply) and keys come in this order:
 *
 * <pre>
 * {"release", "namespace", "revision",            revision: null unless --from-cluster
 *  "chart": {"name", "version", "source"},        source: the chart path or the release Secret
 *  "options": {"hookTimeout", "timeout", "onTimeout", "deletionPropagation",
 *              "disableHooks", "keepHistory", "crds"},
 *  "phases": [{"number", "phase", "description", "timeout",
 *              "steps": [{"action", "apiVersion", "kind", "namespace", "name", "weight",
 *                         "deletePolicies", "waitsFor", "reason", "source"}]}],
 *  "leftInPlace": [{"reason", "apiVersion", "kind", "namespace", "name", "source", "detail"}],
 *  "findings": [{"file", "kind", "name", "annotation", "token", "message", "fix",
 *                "droppedByHelm"}]}
 * </pre>
 *
 * <p>{@code action} is RunHook, Delete, Keep or RemoveRelease; {@code leftInPlace.reason} is Kept,
 * ChartCrd, HookNotRun, HookLeftAfterRun or DroppedByHelm. Phases 2-7 share {@code
 * options.timeout}, and so does phase 8 when {@code options.crds} is Delete; phase 10 has a timeout
 * of the same length of its own.
 */
final class PlanJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PlanJson() {}

  static String render(PlanReport report) {
    ChartPlan plan = report.plan();
    UninstallOptions options = report.options();
    ObjectNode root = JSON.createObjectNode();
    root.put("release", plan.plan().releaseName());
    root.put("namespace", plan.plan().releaseNamespace());
    root.put("revision", plan.revision());
    ObjectNode chart = root.putObject("chart");
    chart.put("name", plan.chartName());
    chart.put("version", plan.chartVersion());
    chart.put("source", report.origin());
    ObjectNode settings = root.putObject("options");
    settings.put("hookTimeout", options.getHookTimeout());
    settings.put("timeout", options.getTimeout());
    settings.put("onTimeout", String.valueOf(options.getOnTimeout()));
    settings.put("deletionPropagation", String.valueOf(options.getDeletionPropagation()));
    settings.put("disableHooks", options.isDisableHooks());
    settings.put("keepHistory", options.isKeepHistory());
    settings.put("crds", String.valueOf(options.getCrds()));
    ArrayNode phases = root.putArray("phases");
    int number = 1;
    for (TeardownPhase phase : PlanWording.PHASES) {
      ObjectNode node = phases.addObject();
      node.put("number", number++);
      node.put("phase", phase.name());
      node.put("description", PlanWording.phase(phase, options));
      node.put("timeout", PlanWording.timeout(phase, options));
      ArrayNode steps = node.putArray("steps");
      plan.plan().stepsIn(phase).forEach(step -> step(steps.addObject(), step));
    }
    ArrayNode left = root.putArray("leftInPlace");
    plan.leftInPlace().forEach(object -> leftInPlace(left.addObject(), object));
    ArrayNode findings = root.putArray("findings");
    plan.findings().forEach(finding -> finding(findings.addObject(), finding, plan));
    return write(root) + "\n";
  }

  private static void step(ObjectNode node, PlannedStep step) {
    node.put("action", step.action().name());
    node.put("apiVersion", step.apiVersion());
    node.put("kind", step.kind());
    node.put("namespace", step.namespace());
    node.put("name", step.name());
    node.put("weight", step.weight());
    strings(node, "deletePolicies", step.deletePolicies());
    node.put("waitsFor", PlanWording.waitsFor(step));
    node.put("reason", step.reason());
    node.put("source", step.source());
  }

  private static void leftInPlace(ObjectNode node, LeftInPlace object) {
    node.put("reason", object.reason().name());
    node.put("apiVersion", object.apiVersion());
    node.put("kind", object.kind());
    node.put("namespace", object.namespace());
    node.put("name", object.name());
    node.put("source", object.source());
    node.put("detail", object.detail());
  }

  private static void finding(ObjectNode node, HookFinding finding, ChartPlan plan) {
    node.put("file", finding.sourcePath());
    node.put("kind", finding.kind());
    node.put("name", finding.name());
    node.put("annotation", finding.annotation());
    node.put("token", finding.token());
    node.put("message", finding.message());
    node.put("fix", finding.suggestedFix());
    node.put("droppedByHelm", plan.isDroppedByHelm(finding));
  }

  private static void strings(ObjectNode node, String key, List<String> values) {
    if (values == null) {
      node.putNull(key);
    } else {
      ArrayNode array = node.putArray(key);
      values.forEach(array::add);
    }
  }

  private static String write(ObjectNode root) {
    // Two-space indentation, "key": value, and "\n" line ends on every platform, so the output is
    // byte-for-byte stable.
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    try {
      return JSON.writer(printer).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the plan as JSON", e);
    }
  }
}
