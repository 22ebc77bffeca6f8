package dev.orderly.cli;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.UninstallOptions;
import dev.orderly.teardown.LeftInPlace;
import dev.orderly.teardown.PlannedStep;
import dev.orderly.teardown.TeardownPlanner;
import java.util.List;

/**
 * The words the table and the JSON share for what each phase does, what each step waits for and
 * what a timeout means, so both formats always describe the teardown the same way.
 */
final class PlanWording {

  /** The phases a plan shows, in the order they run ({@code Done} is not a step). */
  static final List<TeardownPhase> PHASES =
      List.of(TeardownPhase.values()).stream().filter(p -> p != TeardownPhase.Done).toList();

  private PlanWording() {}

  /** One line on what the phase does. */
  static String phase(TeardownPhase phase, UninstallOptions options) {
    return switch (phase) {
      case PreDeleteHooks ->
          "run each pre-delete hook in turn and wait for it (timeout "
              + options.getHookTimeout()
              + " each)";
      case CustomResources -> "delete custom resources while their controllers still run";
      case Admission ->
          "delete APIServices, admission webhooks and policies while their backends still run";
      case DaemonSets -> "delete, wait until each is gone and its pods have terminated";
      case Workloads -> "delete workloads, wait until gone";
      case ConfigAndNetwork -> "delete config, storage and network objects, wait until gone";
      case Rbac -> "delete RBAC last, so nothing loses its permissions while it still runs";
      case Release -> {
        String record =
            options.isKeepHistory()
                ? "mark Helm's release record uninstalled, keeping history"
                : "remove Helm's release record (its Secrets, every revision)";
        yield options.getCrds() == UninstallOptions.CrdPolicy.Delete
            ? record + ", then delete the chart's templated CRDs"
            : record;
      }
      case PostDeleteHooks ->
          "run each post-delete hook in turn and wait for it (timeout "
              + options.getHookTimeout()
              + " each)";
      case Namespaces ->
          "delete the release's Namespaces, only now that no hook needs them, wait until gone";
      case Done -> "done";
    };
  }

  /** The time limit of the phase as the options set it, or null when none applies. */
  static String timeout(TeardownPhase phase, UninstallOptions options) {
    return switch (phase) {
      case PreDeleteHooks, PostDeleteHooks -> options.getHookTimeout();
      case CustomResources, Admission, DaemonSets, Workloads, ConfigAndNetwork, Rbac ->
          options.getTimeout();
      // A timeout of its own, as long, which starts when the phase does.
      case Namespaces -> options.getTimeout();
      // Deleting CRDs shares the object phases' time; removing the record is one request.
      case Release ->
          options.getCrds() == UninstallOptions.CrdPolicy.Delete ? options.getTimeout() : null;
      default -> null;
    };
  }

  /** The timeout line of the table header. */
  static String timeouts(UninstallOptions options) {
    return options.getHookTimeout()
        + " per hook, "
        + options.getTimeout()
        + " for phases "
        + (TeardownPhase.CustomResources.ordinal() + 1)
        + "-"
        + (TeardownPhase.Rbac.ordinal() + 1)
        + (options.getCrds() == UninstallOptions.CrdPolicy.Delete
            ? " and the CRD deletions of " + (TeardownPhase.Release.ordinal() + 1)
            : "")
        + " together, "
        + options.getTimeout()
        + " for phase "
        + (TeardownPhase.Namespaces.ordinal() + 1)
        + "; on timeout "
        + options.getOnTimeout()
        + (options.getOnTimeout() == UninstallOptions.OnTimeout.Fail
            ? ": stall and retry"
            : ": warn and go on");
  }

  /** What the teardown waits for before the step counts as done; null for kept objects. */
  static String waitsFor(PlannedStep step) {
    return switch (step.action()) {
      case RunHook ->
          switch (step.kind()) {
            case "Job" -> "Job complete";
            case "Pod" -> "Pod succeeded";
            default -> "created";
          };
      case Delete ->
          switch (step.kind()) {
            case "DaemonSet" -> "gone, pods terminated";
            case "CustomResourceDefinition" -> "gone, with all its custom resources";
            default -> "gone";
          };
      case RemoveRelease -> "record removed";
      case Keep -> null;
    };
  }

  /** A short reason for a kept object, for the table; the JSON carries the full one. */
  static String keptShort(String reason) {
    if (TeardownPlanner.CRD_KEPT_REASON.equals(reason)) {
      return "crds: Keep (deleting a CRD deletes its custom resources cluster-wide)";
    }
    return reason;
  }

  /** What the "left in place" line says about an object. */
  static String leftInPlace(LeftInPlace left) {
    return switch (left.reason()) {
      case Kept -> keptShort(left.detail());
      case DroppedByHelm -> "dropped by Helm: " + left.detail();
      default -> left.detail();
    };
  }

  /** {@code namespace/name}, or the name alone for cluster-scoped objects. */
  static String qualifiedName(String namespace, String name) {
    return namespace == null ? name : namespace + "/" + name;
  }
}
