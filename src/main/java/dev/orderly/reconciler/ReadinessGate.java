package dev.orderly.reconciler;

import static dev.orderly.api.ConditionTypes.READY;
import static dev.orderly.api.ConditionTypes.RECONCILING;
import static dev.orderly.api.ConditionTypes.STALLED;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ReleaseObject;
import dev.orderly.kube.ClusterDiscovery;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.OnDemandWatches;
import dev.orderly.kube.ReleaseObjectReader;
import dev.orderly.readiness.ReleaseReadiness;
import dev.orderly.readiness.ReleaseReadiness.Assessment;
import dev.orderly.readiness.ReleaseReadiness.Observed;
import dev.orderly.teardown.ResourceScopes;
import dev.orderly.teardown.WatchKey;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ready means healthy: after Helm has installed or upgraded a release, Ready stays False until
 * every object of the revision is ready ({@link ReleaseReadiness}), and Stalled turns True when the
 * install or upgrade timeout passes first. Each reconcile looks once and says when to look again;
 * meanwhile the kinds of its objects whose status changes (workloads, Jobs, Pods, claims, Services,
 * CRDs) are watched where they are ({@link OnDemandWatches}), and a change wakes it; the watches go
 * when it is Ready or timed out. The verdict itself is read by GET. The wait is persisted in {@code
 * status.release} ({@code readinessDeadline} set, {@code readyAt} not yet), so a restarted operator
 * goes on waiting.
 */
public class ReadinessGate {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private final ReleaseObjectReader reader;
  private final ClusterDiscovery discovery;
  private final EventRecorder events;
  private final Clock clock;
  private final OnDemandWatches watches;
  // The releases whose current reconcile looked at their readiness; see #settle.
  private final Set<ResourceID> lookedAt = ConcurrentHashMap.newKeySet();

  /** Kinds whose readiness changes with their status, so a change of theirs is worth a look. */
  static final Set<String> CHANGING_KINDS =
      Set.of(
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "ReplicaSet",
          "Job",
          "Pod",
          "PersistentVolumeClaim",
          "Service",
          "CustomResourceDefinition");

  public ReadinessGate(
      ReleaseObjectReader reader, ClusterDiscovery discovery, EventRecorder events, Clock clock) {
    this(reader, discovery, events, clock, null);
  }

  /** As above; {@code watches} (null: none) wake a release while it waits. */
  public ReadinessGate(
      ReleaseObjectReader reader,
      ClusterDiscovery discovery,
      EventRecorder events,
      Clock clock,
      OnDemandWatches watches) {
    this.watches = watches;
    this.reader = reader;
    this.discovery = discovery;
    this.events = events;
    this.clock = clock;
  }

  /** Whether the release's current revision is still waiting to be ready. */
  public static boolean awaiting(OrderedReleaseStatus status) {
    ReleaseStatus release = status == null ? null : status.getRelease();
    return release != null
        && release.getReadinessDeadline() != null
        && release.getReadyAt() == null;
  }

  /** Whether an install (revision 1) or an upgrade waits for readiness, by the spec. */
  static boolean waits(OrderedReleaseSpec spec, boolean upgrade) {
    return upgrade ? spec.getUpgrade().isWait() : spec.getInstall().isWait();
  }

  /** The install or upgrade timeout, which also bounds the wait for readiness. */
  static Duration timeout(OrderedReleaseSpec spec, boolean upgrade) {
    String text = upgrade ? spec.getUpgrade().getTimeout() : spec.getInstall().getTimeout();
    return Durations.parse(text, DEFAULT_TIMEOUT);
  }

  /**
   * Starts waiting for the revision Helm finished at {@code helmFinished}, if the spec asks to.
   *
   * @return false when the install or upgrade does not wait
   */
  boolean begin(OrderedRelease resource, Instant helmFinished) {
    ReleaseStatus release = resource.getStatus().getRelease();
    boolean upgrade = upgrade(release);
    release.setReadyAt(null);
    if (!waits(resource.getSpec(), upgrade)) {
      release.setReadinessDeadline(null);
      return false;
    }
    Duration timeout = timeout(resource.getSpec(), upgrade);
    release.setReadinessDeadline(helmFinished.plus(timeout).toString());
    return true;
  }

  /**
   * Looks at the revision's objects once and sets phase, Ready, Reconciling and Stalled from what
   * it sees.
   *
   * @return when to look again, or null when informers and the periodic resync suffice
   */
  Duration look(OrderedRelease resource, StatusConditions conditions) {
    lookedAt.add(ResourceID.fromResource(resource));
    OrderedReleaseStatus status = resource.getStatus();
    ReleaseStatus release = status.getRelease();
    boolean upgrade = upgrade(release);
    String done = helmDone(release);
    String reason = upgrade ? Reasons.UPGRADE_SUCCEEDED : Reasons.INSTALL_SUCCEEDED;
    if (!waits(resource.getSpec(), upgrade)) {
      // wait was turned off while waiting: nothing left to wait for.
      forget(resource);
      release.setReadinessDeadline(null);
      deployed(status, conditions, reason, done + "; not waiting for readiness (wait: false)");
      return null;
    }
    Instant now = clock.instant();
    Optional<HelmReleaseRecord> record;
    try {
      record = reader.record(release.getNamespace(), release.getName(), release.getRevision());
    } catch (RuntimeException e) {
      // Not thrown on: the install is recorded in this same status write, and a failed
      // reconcile would lose it and start Helm again.
      waiting(status, conditions, upgrade, done + "; its Helm record cannot be read: " + e);
      return ReleaseReadiness.POLL;
    }
    if (record.isEmpty()) {
      waiting(status, conditions, upgrade, done + "; Helm's record of it is not readable yet");
      return ReleaseReadiness.POLL;
    }
    Set<WatchKey> changing = new LinkedHashSet<>();
    Assessment assessment =
        ReleaseReadiness.assess(
            observe(record.get(), release.getNamespace(), changing),
            now,
            Instant.parse(release.getReadinessDeadline()));
    if (assessment.ready() || assessment.timedOut()) {
      forget(resource);
    } else if (watches != null) {
      watches.need(ResourceID.fromResource(resource), changing);
    }
    if (assessment.ready()) {
      release.setReadyAt(now.toString());
      String message = done + "; all " + assessment.total() + " objects are ready";
      deployed(status, conditions, reason, message);
      events.record(resource, Type.Normal, Reasons.OBJECTS_READY, message);
      return null;
    }
    if (!assessment.timedOut()) {
      waiting(status, conditions, upgrade, done + "; " + assessment.describeNotReady());
      return assessment.recheckAfter();
    }
    String message =
        done
            + "; "
            + assessment.describeNotReady()
            + " within spec."
            + (upgrade ? "upgrade" : "install")
            + ".timeout ("
            + Durations.format(timeout(resource.getSpec(), upgrade))
            + ")";
    boolean reported =
        StatusConditions.find(status, STALLED)
            .map(
                c ->
                    "True".equals(c.getStatus())
                        && Reasons.READINESS_TIMED_OUT.equals(c.getReason()))
            .orElse(false);
    status.setPhase("Failed");
    conditions
        .setFalse(READY, Reasons.READINESS_TIMED_OUT, message)
        .setTrue(STALLED, Reasons.READINESS_TIMED_OUT, message)
        .remove(RECONCILING);
    if (!reported) {
      events.record(resource, Type.Warning, Reasons.READINESS_TIMED_OUT, message);
    }
    // No longer watched: the periodic resync (and any edit) looks again.
    return null;
  }

  /**
   * Stops the watches of a release whose reconcile did not {@link #look} at its readiness,
   * whichever way the wait ended or was set aside: Ready, timed out, an upgrade that does not wait,
   * a suspend, a failed upgrade, a stall. Called after every reconcile (JOSDK never runs two of one
   * object at once); nothing to do for a release that watches nothing.
   */
  void settle(OrderedRelease resource) {
    if (!lookedAt.remove(ResourceID.fromResource(resource))) {
      forget(resource);
    }
  }

  private void forget(OrderedRelease resource) {
    if (watches != null) {
      watches.forget(ResourceID.fromResource(resource));
    }
  }

  /** The objects' state now; adds to {@code changing} the keys worth watching meanwhile. */
  private List<Observed> observe(
      HelmReleaseRecord record, String releaseNamespace, Set<WatchKey> changing) {
    // As Helm does: cluster-scoped kinds (built-in, or custom ones by the cluster's discovery)
    // have no namespace, the rest default to the release's.
    ResourceScopes scopes;
    try {
      scopes = ResourceScopes.discovered(record, discovery::clusterScopedKinds);
    } catch (KubernetesClientException e) {
      scopes = ResourceScopes.BUILT_IN;
    }
    List<Observed> observed = new ArrayList<>();
    for (ReleaseObject object : record.objects()) {
      String namespace =
          scopes.namespaceFor(
              object.apiVersion(), object.kind(), object.namespace(), releaseNamespace);
      String describe =
          object.kind() + " " + (namespace == null ? "" : namespace + "/") + object.name();
      if (CHANGING_KINDS.contains(object.kind())) {
        changing.add(new WatchKey(object.apiVersion(), object.kind(), namespace));
      }
      try {
        observed.add(
            new Observed(
                describe,
                reader.live(object.apiVersion(), object.kind(), namespace, object.name())));
      } catch (KubernetesClientException e) {
        // Forbidden, typically: the operator's RBAC lacks get on a kind of the chart. Say so in
        // the condition rather than failing the reconcile without a word in status.
        observed.add(new Observed(describe, null, e.getCode() + " " + reasonOf(e)));
      }
    }
    return observed;
  }

  private static String reasonOf(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getReason() != null
        ? e.getStatus().getReason()
        : String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }

  private static void waiting(
      OrderedReleaseStatus status, StatusConditions conditions, boolean upgrade, String message) {
    status.setPhase(upgrade ? "Upgrading" : "Installing");
    conditions
        .setFalse(READY, Reasons.WAITING_FOR_READINESS, message)
        .setTrue(RECONCILING, Reasons.WAITING_FOR_READINESS, message)
        .remove(STALLED);
  }

  private static void deployed(
      OrderedReleaseStatus status, StatusConditions conditions, String reason, String message) {
    status.setPhase("Deployed");
    conditions.setTrue(READY, reason, message).remove(RECONCILING).remove(STALLED);
  }

  /** "Helm installed release agent at revision 1", as the Released condition says it. */
  static String helmDone(ReleaseStatus release) {
    return "Helm "
        + (upgrade(release) ? "upgraded" : "installed")
        + " release "
        + release.getName()
        + " at revision "
        + release.getRevision();
  }

  // Revision 1 is the install; every later revision is an upgrade.
  private static boolean upgrade(ReleaseStatus release) {
    return release.getRevision() != null && release.getRevision() > 1;
  }
}
