package dev.orderly.teardown;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.helm.HelmHook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A teardown that cannot be planned from what Helm recorded, so nothing is torn down yet: the
 * condition reason, and a message saying what is wrong and which annotation lets the teardown go
 * on. Checked again on every look, so fixing the input unblocks it as the annotation does.
 */
public final class TeardownBlocked extends RuntimeException {
  /** Annotation: plan as if Helm had no record of the release. */
  public static final String IGNORE_RELEASE_RECORD = "orderly.dev/ignore-release-record";

  /** Annotation: skip every hook not yet run; TeardownCoordinator.SKIP_HOOKS, named here. */
  static final String SKIP_HOOKS = "orderly.dev/skip-hooks";

  private final String reason;

  private TeardownBlocked(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** One of {@link Reasons}. */
  public String reason() {
    return reason;
  }

  /**
   * The teardown may not go on, for {@code reason} (one of {@link Reasons}), as {@code message}.
   */
  public static TeardownBlocked refused(String reason, String message) {
    return new TeardownBlocked(reason, message, null);
  }

  /** Helm's latest record of {@code release} (namespace/name) cannot be read, for {@code why}. */
  public static TeardownBlocked unreadableRecord(String release, RuntimeException why) {
    return new TeardownBlocked(
        Reasons.RELEASE_RECORD_UNREADABLE,
        "Helm's record of release "
            + release
            + " cannot be read, so nothing is torn down: "
            + why.getMessage()
            + ". Fix or delete that Secret, or set the annotation "
            + IGNORE_RELEASE_RECORD
            + ": \"true\" to tear down as if Helm had no record: DaemonSets and cluster-scoped"
            + " objects carrying Helm's ownership annotations are deleted and the record's Secrets"
            + " removed, but no hook runs and the release's other namespaced objects stay",
        why);
  }

  /**
   * The teardown's own ledger Secret cannot be read ({@code why} names it); deleting it makes the
   * teardown plan again, as for a lost ledger, without running a hook a second time.
   */
  public static TeardownBlocked unreadableLedger(IllegalArgumentException why) {
    return new TeardownBlocked(
        Reasons.TEARDOWN_LEDGER_UNREADABLE,
        why.getMessage()
            + "; delete that Secret and the teardown is planned again from its current phase,"
            + " without running a hook a second time",
        why);
  }

  /** Hooks the teardown would run, in Helm's record {@code where}, do not parse. */
  public static TeardownBlocked unparsableHooks(String where, Map<HelmHook, String> broken) {
    List<String> problems = new ArrayList<>();
    broken.forEach((hook, why) -> problems.add(describe(hook) + ": " + why));
    return new TeardownBlocked(
        Reasons.HOOK_MANIFEST_UNPARSABLE,
        "the manifest of "
            + (broken.size() == 1 ? "a hook" : broken.size() + " hooks")
            + " in "
            + where
            + " does not parse, so nothing is torn down: "
            + String.join("; ", problems)
            + ". Set the annotation "
            + SKIP_HOOKS
            + ": \"true\" to tear down without running hooks (every hook not yet run is skipped)",
        null);
  }

  /** "pre-delete hook Job name (source: path)", for messages. */
  public static String describe(HelmHook hook) {
    return String.join("/", hook.events())
        + " hook "
        + hook.kind()
        + " "
        + hook.name()
        + (hook.path() == null ? "" : " (source: " + hook.path() + ")");
  }
}
