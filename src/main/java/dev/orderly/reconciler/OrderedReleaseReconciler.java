package dev.orderly.reconciler;

import static dev.orderly.api.ConditionTypes.HOOKS_VALID;
import static dev.orderly.api.ConditionTypes.READY;
import static dev.orderly.api.ConditionTypes.RECONCILING;
import static dev.orderly.api.ConditionTypes.RELEASED;
import static dev.orderly.api.ConditionTypes.STALLED;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.Durations;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import dev.orderly.api.ReleaseStatus;
import dev.orderly.dependencies.DependencyGraph.InstallVerdict;
import dev.orderly.dependencies.ReleaseNodes;
import dev.orderly.helm.HelmFailure;
import dev.orderly.helm.HelmReleaseInfo;
import dev.orderly.helm.RegistryCredentials;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.FinalizerRemoval;
import dev.orderly.metrics.OrderlyMetrics;
import dev.orderly.reconciler.HelmOperations.Finished;
import dev.orderly.reconciler.HelmOperations.Running;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Wires an OrderedRelease to Helm: validates, resolves values, starts installs and upgrades on the
 * Helm pool and records their outcome; on deletion hands over to the ordered teardown. It decides
 * little itself and never waits for Helm or the cluster.
 */
@ControllerConfiguration(name = "orderedrelease", finalizerName = OrderedRelease.FINALIZER)
public class OrderedReleaseReconciler
    implements Reconciler<OrderedRelease>, Cleaner<OrderedRelease> {
  private final ReleaseInstaller installer;
  private final ReadinessGate readiness;
  private final HelmOperations operations;
  private final TeardownCoordinator teardown;
  private final EventRecorder events;
  private final Clock clock;
  private final ReleaseEventSources sources;
  private final OrderlyMetrics metrics;
  private final TenancyPolicy tenancy;

  public OrderedReleaseReconciler(
      ReleaseInstaller installer,
      ReadinessGate readiness,
      HelmOperations operations,
      TeardownCoordinator teardown,
      ReleaseEventSources sources,
      EventRecorder events,
      OrderlyMetrics metrics,
      Clock clock) {
    this(
        installer,
        readiness,
        operations,
        teardown,
        sources,
        events,
        metrics,
        clock,
        TenancyPolicy.NONE);
  }

  /**
   * @param tenancy refuses cross-namespace references when it says so
   */
  public OrderedReleaseReconciler(
      ReleaseInstaller installer,
      ReadinessGate readiness,
      HelmOperations operations,
      TeardownCoordinator teardown,
      ReleaseEventSources sources,
      EventRecorder events,
      OrderlyMetrics metrics,
      Clock clock,
      TenancyPolicy tenancy) {
    this.tenancy = tenancy;
    this.sources = sources;
    this.metrics = metrics;
    this.installer = installer;
    this.readiness = readiness;
    this.operations = operations;
    this.teardown = teardown;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, OrderedRelease>> prepareEventSources(
      EventSourceContext<OrderedRelease> context) {
    List<EventSource<?, OrderedRelease>> list = sources.create(context);
    operations.onFinished(sources::wake);
    return list;
  }

  @Override
  public UpdateControl<OrderedRelease> reconcile(
      OrderedRelease resource, Context<OrderedRelease> context) {
    OrderedReleaseStatus status = statusOf(resource);
    String before = Serialization.asJson(status);
    Duration reschedule = sync(resource, status);
    readiness.settle(resource);
    if (Heartbeat.due(status.getLastReconcileTime(), clock.instant())) {
      status.setLastReconcileTime(DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    }
    UpdateControl<OrderedRelease> control =
        before.equals(Serialization.asJson(status))
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(resource);
    return reschedule == null ? control : control.rescheduleAfter(reschedule);
  }

  /** Brings the release towards the spec and fills status; returns when to look again, if ever. */
  private Duration sync(OrderedRelease resource, OrderedReleaseStatus status) {
    Long generation = resource.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    StatusConditions conditions = new StatusConditions(status, generation, clock);
    List<String> problems = SpecValidator.problems(resource);
    if (!problems.isEmpty()) {
      // A spec change re-triggers reconcile, so a bad spec waits quietly instead of retrying.
      stall(resource, status, conditions, Reasons.INVALID_SPEC, String.join("; ", problems));
      return null;
    }
    List<String> elsewhere = tenancy.crossNamespaceProblems(resource);
    if (!elsewhere.isEmpty()) {
      stall(
          resource,
          status,
          conditions,
          Reasons.CROSS_NAMESPACE_REFERENCE,
          String.join("; ", elsewhere));
      return null;
    }
    if (resource.getSpec().isSuspend()) {
      status.setPhase("Suspended");
      conditions.remove(RECONCILING).remove(STALLED);
      return null;
    }
    try {
      installer.checkChartSource(resource);
    } catch (HelmFailure refused) {
      // Only the spec or the operator's flags can change this; a spec change re-triggers.
      stall(resource, status, conditions, refused.reason(), refused.getMessage());
      return null;
    }
    ObjectNode values;
    Optional<RegistryCredentials> credentials;
    try {
      values = sources.valuesResolver().resolve(resource);
      credentials = sources.credentialsResolver().resolve(resource);
    } catch (HelmFailure failure) {
      // The ConfigMap/Secret informers wake this resource as soon as the reference appears.
      stall(resource, status, conditions, failure.reason(), failure.getMessage());
      return null;
    }
    String digest = ReleaseDigest.of(resource, values);
    // An operation is keyed by the digest and the version of the credentials Secret, so a fixed
    // Secret is tried at once rather than after the backoff; status keeps the digest alone, so
    // rotating credentials never upgrades a release.
    String operation = digest + sources.chartSecretVersion(resource).map(v -> "/" + v).orElse("");
    ResourceID id = ResourceID.fromResource(resource);
    HelmOperations.State state = operations.state(id);
    if (state instanceof Running running) {
      // Again while it runs: the save of the look that started it may have failed.
      recordInstallIntent(resource, status);
      progressing(status, conditions, upgrading(status), sameInputs(running.digest(), digest));
      return null;
    }
    if (resource.isMarkedForDeletion()) {
      // JOSDK calls cleanup, not reconcile, once deletion began; should a stale look get here,
      // it must not start an operation the teardown would then have to wait for.
      return null;
    }
    // A success is recorded whatever the Secret's version; only a failure is retried for it.
    if (state instanceof Finished finished
        && (finished.digest().equals(operation)
            || (finished.failure().isEmpty() && sameInputs(finished.digest(), digest)))) {
      return record(resource, status, conditions, id, finished, digest, values, credentials);
    }
    if (digest.equals(appliedDigest(status)) && state instanceof HelmOperations.Idle) {
      if (ReadinessGate.awaiting(status)) {
        return readiness.look(resource, conditions);
      }
      recovered(resource, status, conditions);
      return null;
    }
    // Only an install or upgrade waits for dependencies: an installed, up-to-date release stays
    // Ready whatever happens to them. Without dependsOn there is nothing to wait for and no cycle
    // through it: no graph is built.
    InstallVerdict dependencies =
        ReleaseNodes.dependsOn(resource).isEmpty()
            ? new InstallVerdict.Proceed()
            : sources.dependencyGraph(resource).beforeInstall(ReleaseNodes.key(resource));
    if (dependencies instanceof InstallVerdict.Cycle
        || dependencies instanceof InstallVerdict.Missing) {
      // The OrderedRelease informer wakes this resource when the dependency appears or changes.
      stall(resource, status, conditions, dependencies.reason(), dependencies.message());
      return null;
    }
    if (dependencies instanceof InstallVerdict.NotReady) {
      awaitDependency(resource, status, conditions, dependencies);
      return null;
    }
    recordInstallIntent(resource, status);
    operations.start(id, operation, 1, () -> installer.apply(resource, values, credentials));
    progressing(status, conditions, upgrading(status), true);
    return null;
  }

  /**
   * The intent of a first install, saved with the look's status (as a rule before Helm writes its
   * record: Helm fetches and renders first): should the install be cut short, its unmarked pending
   * record is known as this object's (see ReleaseOwnership).
   */
  private static void recordInstallIntent(OrderedRelease resource, OrderedReleaseStatus status) {
    if (status.getRelease() == null) {
      ReleaseStatus intent = new ReleaseStatus();
      intent.setName(resource.releaseName());
      intent.setNamespace(resource.targetNamespace());
      status.setRelease(intent);
    }
  }

  private Duration record(
      OrderedRelease resource,
      OrderedReleaseStatus status,
      StatusConditions conditions,
      ResourceID id,
      Finished finished,
      String digest,
      ObjectNode values,
      Optional<RegistryCredentials> credentials) {
    if (finished.failure().isEmpty()) {
      ReleaseInstaller.Result result = (ReleaseInstaller.Result) finished.result();
      status.setRelease(toStatus(result.release(), digest));
      status.getRelease().setChartDigest(result.chartDigest());
      String message = ReadinessGate.helmDone(status.getRelease());
      String reason = result.upgraded() ? Reasons.UPGRADE_SUCCEEDED : Reasons.INSTALL_SUCCEEDED;
      conditions.setTrue(RELEASED, reason, message);
      if (result.findings().isEmpty()) {
        conditions.setTrue(HOOKS_VALID, Reasons.HOOKS_VALID, "every hook annotation is valid");
      } else {
        String findings = ReleaseInstaller.describe(result.findings());
        conditions.setFalse(HOOKS_VALID, Reasons.INVALID_HOOKS_ALLOWED, findings);
        events.record(
            resource,
            Type.Warning,
            Reasons.INVALID_HOOKS_ALLOWED,
            "installed despite invalid hooks (spec.install.allowInvalidHooks): " + findings);
      }
      if (result.adopted()) {
        events.record(
            resource,
            Type.Normal,
            Reasons.RELEASE_ADOPTED,
            "took over Helm release "
                + result.release().namespace()
                + "/"
                + result.release().name()
                + ", installed outside Orderly (spec.adoptRelease); deleting this object now"
                + " tears it down");
      }
      events.record(resource, Type.Normal, reason, message);
      metrics.helmOperation(result.upgraded() ? "upgrade" : "install", true);
      operations.forget(id);
      if (readiness.begin(resource, finished.endedAt())) {
        return readiness.look(resource, conditions);
      }
      status.setPhase("Deployed");
      conditions.setTrue(READY, reason, message).remove(RECONCILING).remove(STALLED);
      return null;
    }
    HelmFailure failure = finished.failure().get();
    // The operation did start, so its intent stands: this look's copy may predate the save of the
    // look that started it (seen under load: a ForeignRelease stall written without the intent).
    recordInstallIntent(resource, status);
    Duration wait = Backoff.after(finished.attempt());
    Duration elapsed = Duration.between(finished.endedAt(), clock.instant());
    if (elapsed.compareTo(wait) >= 0) {
      operations.start(
          id,
          finished.digest(),
          finished.attempt() + 1,
          () -> installer.apply(resource, values, credentials));
      progressing(status, conditions, upgrading(status), true);
      return null;
    }
    status.setPhase("Failed");
    conditions
        .setFalse(READY, failure.reason(), failure.getMessage())
        .setFalse(RELEASED, failure.reason(), failure.getMessage());
    if (Reasons.INVALID_HOOKS.equals(failure.reason())) {
      conditions.setFalse(HOOKS_VALID, Reasons.INVALID_HOOKS, failure.getMessage());
    }
    if (failure.stalled()) {
      conditions.setTrue(STALLED, failure.reason(), failure.getMessage()).remove(RECONCILING);
    } else {
      conditions
          .remove(STALLED)
          .setTrue(RECONCILING, failure.reason(), "retrying in " + Durations.format(wait));
    }
    if (operations.markReported(id)) {
      metrics.helmOperation(upgrading(status) ? "upgrade" : "install", false);
      events.record(
          resource,
          Type.Warning,
          failure.reason(),
          failure.getMessage()
              + " (attempt "
              + finished.attempt()
              + ", next try in "
              + Durations.format(wait)
              + ")");
    }
    return wait.minus(elapsed);
  }

  private void stall(
      OrderedRelease resource,
      OrderedReleaseStatus status,
      StatusConditions conditions,
      String reason,
      String message) {
    boolean alreadyReported =
        StatusConditions.find(status, STALLED)
            .map(c -> message.equals(c.getMessage()) && "True".equals(c.getStatus()))
            .orElse(false);
    status.setPhase("Failed");
    conditions
        .setFalse(READY, reason, message)
        .setTrue(STALLED, reason, message)
        .remove(RECONCILING);
    if (!alreadyReported) {
      events.record(resource, Type.Warning, reason, message);
    }
  }

  /**
   * An installed, up-to-date release that is not waiting for readiness, yet still Stalled by an
   * earlier look: whatever stalled it (a missing ConfigMap, a chart-source or cross-namespace
   * refusal since lifted, a dependency cycle) no longer holds, since this look got past every
   * check. It is Deployed and Ready again, as Released says, and one Event says so. A readiness
   * timeout never gets here: its wait is still {@link ReadinessGate#awaiting}.
   */
  private void recovered(
      OrderedRelease resource, OrderedReleaseStatus status, StatusConditions conditions) {
    Optional<Condition> stalled =
        StatusConditions.find(status, STALLED).filter(c -> "True".equals(c.getStatus()));
    if (stalled.isEmpty()) {
      return;
    }
    Optional<Condition> released =
        StatusConditions.find(status, RELEASED).filter(c -> "True".equals(c.getStatus()));
    String reason =
        released
            .map(Condition::getReason)
            .orElse(upgrading(status) ? Reasons.UPGRADE_SUCCEEDED : Reasons.INSTALL_SUCCEEDED);
    String message =
        released.map(Condition::getMessage).orElse(ReadinessGate.helmDone(status.getRelease()));
    status.setPhase("Deployed");
    conditions.setTrue(READY, reason, message).remove(RECONCILING).remove(STALLED);
    events.record(
        resource,
        Type.Normal,
        reason,
        message
            + "; no longer stalled ("
            + stalled.get().getReason()
            + "): the release is up to date");
  }

  /** Nothing is installed or upgraded until the dependency is Ready; its change wakes this one. */
  private void awaitDependency(
      OrderedRelease resource,
      OrderedReleaseStatus status,
      StatusConditions conditions,
      InstallVerdict waiting) {
    String message =
        waiting.message() + " before " + (upgrading(status) ? "upgrading" : "installing");
    boolean announced =
        StatusConditions.find(status, READY)
            .filter(c -> message.equals(c.getMessage()))
            .isPresent();
    status.setPhase("Waiting");
    conditions
        .setFalse(READY, waiting.reason(), message)
        .setTrue(RECONCILING, waiting.reason(), message)
        .remove(STALLED);
    if (!announced) {
      events.record(resource, Type.Normal, waiting.reason(), message);
    }
  }

  private static void progressing(
      OrderedReleaseStatus status, StatusConditions conditions, boolean upgrade, boolean current) {
    String reason = upgrade ? Reasons.UPGRADING : Reasons.INSTALLING;
    String message =
        current
            ? "Helm is " + (upgrade ? "upgrading" : "installing") + " the release"
            : "waiting for the previous Helm operation to finish before applying the new spec";
    status.setPhase(upgrade ? "Upgrading" : "Installing");
    conditions
        .setUnknown(READY, Reasons.PROGRESSING, message)
        .setTrue(RECONCILING, reason, message)
        .remove(STALLED);
  }

  @Override
  public DeleteControl cleanup(OrderedRelease resource, Context<OrderedRelease> context) {
    if (resource.getSpec() == null) {
      return MissingSpecCleanup.cleanup(
          resource, events, new FinalizerRemoval(context.getClient()));
    }
    return teardown.cleanup(resource, context);
  }

  private static boolean upgrading(OrderedReleaseStatus status) {
    return status.getRelease() != null && status.getRelease().getRevision() != null;
  }

  private static boolean sameInputs(String operation, String digest) {
    return operation.equals(digest) || operation.startsWith(digest + "/");
  }

  private static String appliedDigest(OrderedReleaseStatus status) {
    return status.getRelease() == null ? null : status.getRelease().getAppliedDigest();
  }

  private static OrderedReleaseStatus statusOf(OrderedRelease resource) {
    if (resource.getStatus() == null) {
      resource.setStatus(new OrderedReleaseStatus());
    }
    return resource.getStatus();
  }

  private static ReleaseStatus toStatus(HelmReleaseInfo release, String digest) {
    ReleaseStatus status = new ReleaseStatus();
    status.setName(release.name());
    status.setNamespace(release.namespace());
    status.setRevision(release.revision());
    status.setChartName(release.chartName());
    status.setChartVersion(release.chartVersion());
    status.setHelmStatus(release.status());
    if (release.lastDeployed() != null) {
      status.setLastDeployed(DateTimeFormatter.ISO_INSTANT.format(release.lastDeployed()));
    }
    status.setAppliedDigest(digest);
    return status;
  }
}
