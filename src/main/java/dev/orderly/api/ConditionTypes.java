package dev.orderly.api;

/** Condition types and reasons, in one place so status, Events and docs agree. */
public final class ConditionTypes {
  /**
   * kstatus: the release is installed or upgraded to match the spec and, unless the spec says not
   * to wait, every object of it is ready.
   */
  public static final String READY = "Ready";

  /** kstatus: the operator is working towards the spec. */
  public static final String RECONCILING = "Reconciling";

  /** kstatus: progress needs a change of spec or of the cluster; retrying alone will not help. */
  public static final String STALLED = "Stalled";

  /** The Helm release exists at the wanted revision. */
  public static final String RELEASED = "Released";

  /** The chart's hook annotations are all ones Helm understands. */
  public static final String HOOKS_VALID = "HooksValid";

  /** The ordered teardown is running. */
  public static final String TEARING_DOWN = "TearingDown";

  private ConditionTypes() {}

  /** Reasons, CamelCase as Kubernetes conventions ask. */
  public static final class Reasons {
    public static final String INSTALLING = "Installing";
    public static final String UPGRADING = "Upgrading";
    public static final String INSTALL_SUCCEEDED = "InstallSucceeded";
    public static final String UPGRADE_SUCCEEDED = "UpgradeSucceeded";
    public static final String INSTALL_FAILED = "InstallFailed";
    public static final String UPGRADE_FAILED = "UpgradeFailed";

    /** The API server refused the operator a permission the chart needs; names the chart value. */
    public static final String INSUFFICIENT_PERMISSIONS = "InsufficientPermissions";

    /**
     * The ServiceAccount the release acts as (spec.serviceAccountName or the operator's default)
     * may not make a call the release needs; names the verb, the resource and the ServiceAccount.
     * Nothing else is done for it.
     */
    public static final String SERVICE_ACCOUNT_FORBIDDEN = "ServiceAccountForbidden";

    /**
     * The operator runs with --no-cross-namespace-refs and the spec names another namespace
     * (targetNamespace, dependsOn[].namespace, uninstall.daemonSets[].namespace).
     */
    public static final String CROSS_NAMESPACE_REFERENCE = "CrossNamespaceReference";

    /**
     * The Helm release of that name is not this OrderedRelease's (installed outside Orderly, or
     * owned by another OrderedRelease): nothing is installed or upgraded.
     */
    public static final String FOREIGN_RELEASE = "ForeignRelease";

    /** The deleted OrderedRelease's release was not its own: only the finalizer was removed. */
    public static final String FOREIGN_RELEASE_LEFT_ALONE = "ForeignReleaseLeftAlone";

    /** An existing release installed outside Orderly was taken over (spec.adoptRelease). */
    public static final String RELEASE_ADOPTED = "ReleaseAdopted";

    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String CHART_NOT_FOUND = "ChartNotFound";
    public static final String REPOSITORY_UNAVAILABLE = "RepositoryUnavailable";

    /** The repository refused the credentials of chart.secretRef, or asked for some. */
    public static final String REPOSITORY_UNAUTHORIZED = "RepositoryUnauthorized";

    /** The repository has the chart but no version (tag) matching chart.version. */
    public static final String CHART_VERSION_NOT_FOUND = "ChartVersionNotFound";

    /** The OCI artifact at the tag is not a Helm chart. */
    public static final String NOT_A_HELM_CHART = "NotAHelmChart";

    /**
     * The artifact's digest differs from chart.digest, from what the registry announced, or from
     * the digest an HTTP repository's index.yaml lists for the version.
     */
    public static final String CHART_DIGEST_MISMATCH = "ChartDigestMismatch";

    /** chart.path is not under a directory the operator may read charts from. */
    public static final String CHART_PATH_NOT_ALLOWED = "ChartPathNotAllowed";

    /** chart.repository, or a URL fetched for it, is not under the allowed repository prefixes. */
    public static final String REPOSITORY_NOT_ALLOWED = "RepositoryNotAllowed";

    /** chart.secretRef names a Secret that is missing or holds no usable credentials. */
    public static final String CREDENTIALS_NOT_FOUND = "CredentialsNotFound";

    public static final String VALUES_NOT_FOUND = "ValuesNotFound";
    public static final String RENDER_FAILED = "RenderFailed";
    public static final String INVALID_HOOKS = "InvalidHooks";
    public static final String HOOKS_VALID = "HooksValid";
    public static final String INVALID_HOOKS_ALLOWED = "InvalidHooksAllowed";
    public static final String SUSPENDED = "Suspended";
    public static final String UP_TO_DATE = "UpToDate";
    public static final String PROGRESSING = "Progressing";
    public static final String TEARDOWN_IN_PROGRESS = "TeardownInProgress";
    public static final String TEARDOWN_TIMED_OUT = "TeardownTimedOut";
    public static final String HOOK_FAILED = "HookFailed";
    public static final String HOOK_TIMED_OUT = "HookTimedOut";
    public static final String PHASE_TIMED_OUT = "PhaseTimedOut";
    public static final String OBJECT_RECREATED = "ObjectRecreated";

    /** The API server definitely refused a delete (a 4xx other than 404, 408, 409 and 429). */
    public static final String DELETE_REFUSED = "DeleteRefused";

    /** A 5xx, 429, conflict, timeout or lost connection ended a look; it is retried. */
    public static final String TRANSIENT_API_ERROR = "TransientApiError";

    public static final String FORCED = "Forced";
    public static final String HOOKS_SKIPPED = "HooksSkipped";
    public static final String TEARDOWN_LEDGER_LOST = "TeardownLedgerLost";

    /** The teardown ledger Secret exists but cannot be read. */
    public static final String TEARDOWN_LEDGER_UNREADABLE = "TeardownLedgerUnreadable";

    public static final String TEARDOWN_PHASE_STARTED = "TeardownPhaseStarted";
    public static final String TEARDOWN_COMPLETE = "TeardownComplete";
    public static final String NOTHING_TO_TEAR_DOWN = "NothingToTearDown";
    public static final String RELEASE_LEFT_IN_PLACE = "ReleaseLeftInPlace";
    public static final String RELEASE_REMOVED = "ReleaseRemoved";

    /**
     * Helm's latest record of the release cannot be read (corrupt, or expands past the size bound):
     * nothing is torn down until it is fixed or {@code orderly.dev/ignore-release-record} is set.
     */
    public static final String RELEASE_RECORD_UNREADABLE = "ReleaseRecordUnreadable";

    /**
     * A pre-delete or post-delete hook's manifest in Helm's record does not parse: nothing is torn
     * down until {@code orderly.dev/skip-hooks} is set.
     */
    public static final String HOOK_MANIFEST_UNPARSABLE = "HookManifestUnparsable";

    /** Helm has no record of the release; the teardown removes only what it can find. */
    public static final String RELEASE_RECORD_MISSING = "ReleaseRecordMissing";

    /** {@code orderly.dev/ignore-release-record} is set: planned as if Helm had no record. */
    public static final String RELEASE_RECORD_IGNORED = "ReleaseRecordIgnored";

    public static final String WAITING_FOR_READINESS = "WaitingForReadiness";
    public static final String READINESS_TIMED_OUT = "ReadinessTimedOut";
    public static final String OBJECTS_READY = "ObjectsReady";

    /** A deletion waits for the install or upgrade this process runs before planning. */
    public static final String WAITING_FOR_HELM_OPERATION = "WaitingForHelmOperation";

    /** Helm's latest record is pending and not yet old enough to be taken for a crash's. */
    public static final String RELEASE_PENDING = "ReleasePending";

    /** A pending record left by a crashed or abandoned operation was removed. */
    public static final String STALE_LOCK_RECOVERED = "StaleLockRecovered";

    /** A dependency in spec.dependsOn is not Ready=True yet; nothing is installed or upgraded. */
    public static final String DEPENDENCY_NOT_READY = "DependencyNotReady";

    /** A dependency in spec.dependsOn does not exist (in a namespace the operator watches). */
    public static final String DEPENDENCY_NOT_FOUND = "DependencyNotFound";

    /** spec.dependsOn leads back to this OrderedRelease. */
    public static final String DEPENDENCY_CYCLE = "DependencyCycle";

    /** A deletion waits for the OrderedReleases that depend on this one to be gone. */
    public static final String WAITING_FOR_DEPENDENTS = "WaitingForDependents";

    /** The wait for dependents ran past spec.uninstall.dependentsTimeout. */
    public static final String DEPENDENTS_TIMED_OUT = "DependentsTimedOut";

    private Reasons() {}
  }
}
