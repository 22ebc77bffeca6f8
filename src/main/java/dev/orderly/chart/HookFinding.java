package dev.orderly.chart;

import java.util.Comparator;

/**
 * One problem with a hook annotation of one rendered object, with where to fix it and how.
 *
 * @param sourcePath the chart template that rendered the object, e.g. {@code
 *     app/templates/job.yaml}
 * @param kind the object's kind
 * @param name the object's rendered name
 * @param annotation the annotation key at fault, e.g. {@code helm.sh/hook}
 * @param token the offending value or comma-separated entry, as written (empty for an empty list)
 * @param message what is wrong and what Helm does with it
 * @param suggestedFix a replacement token such as {@code pre-delete}, or an instruction
 */
public record HookFinding(
    String sourcePath,
    String kind,
    String name,
    String annotation,
    String token,
    String message,
    String suggestedFix) {

  /** File, kind, name, annotation: the order findings are reported in. */
  public static final Comparator<HookFinding> REPORT_ORDER =
      Comparator.comparing(HookFinding::sourcePath)
          .thenComparing(HookFinding::kind)
          .thenComparing(HookFinding::name)
          .thenComparing(HookFinding::annotation);

  /**
   * Whether the finding is about how Helm installs or runs the object, which the operator checks
   * before an install. A resource policy finding (its value, or its key in the wrong case) is not:
   * Helm installs the object as written, and the teardown treats it exactly as Helm's uninstall
   * would; {@code plan} reports it.
   */
  public boolean affectsInstall() {
    return !HelmHookAnnotations.RESOURCE_POLICY.equalsIgnoreCase(annotation);
  }

  /** One line for logs and the command line: {@code file: Kind/name: annotation: message}. */
  @Override
  public String toString() {
    return sourcePath
        + ": "
        + kind
        + "/"
        + name
        + ": "
        + annotation
        + ": "
        + message
        + " (fix: "
        + suggestedFix
        + ")";
  }
}
