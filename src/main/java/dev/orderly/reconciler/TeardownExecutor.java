package dev.orderly.reconciler;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions;
import dev.orderly.helm.HelmHook;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.MalformedReleaseException;
import dev.orderly.helm.PermissionRefusal;
import dev.orderly.helm.ReleaseObject;
import dev.orderly.helm.ReleaseOwnership;
import dev.orderly.helm.ReleaseOwnership.Claim;
import dev.orderly.helm.ReleaseOwnership.OtherOwner;
import dev.orderly.helm.ReleaseOwnership.TeardownVerdict;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.helm.ReleaseRecordRemoval;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.kube.ApiErrors;
import dev.orderly.kube.ClusterDiscovery;
import dev.orderly.kube.ClusterObjects;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.ReleaseClaims;
import dev.orderly.kube.ReleaseClients;
import dev.orderly.kube.ServiceAccountIdentity;
import dev.orderly.kube.StepObserver;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.PhaseDecider;
import dev.orderly.teardown.PlannedStep;
import dev.orderly.teardown.ResourceScopes;
import dev.orderly.teardown.TeardownAction;
import dev.orderly.teardown.TeardownBlocked;
import dev.orderly.teardown.TeardownPlan;
import dev.orderly.teardown.TeardownPlanner;
import dev.orderly.teardown.WatchNeeds;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The teardown's hands: plans from Helm's record, observes steps, carries out actions against the
 * cluster. It makes no decisions of its own; {@code PhaseDecider} does. Hooks, deletes, the removal
 * of Helm's record and the search for DaemonSets go through the release's own client ({@link
 * ReleaseClients}: its ServiceAccount when it has one); reading Helm's record to plan and observing
 * steps are the operator's.
 */
public class TeardownExecutor {
  private final ClusterObjects objects;
  private final ReleaseClients clients;
  private final TenancyPolicy tenancy;
  private final ClusterDiscovery discovery;
  private final StepObserver observer;
  private final HelmOperations operations;
  private final EventRecorder events;
  private final Clock clock;
  private final ReleaseClaims claims;
  private final OperatorDaemonSets daemonSets;

  /** Whether a teardown may begin, and what to say when it may not. */
  public record Ownership(TeardownVerdict verdict, String message) {}

  public TeardownExecutor(
      ClusterObjects objects,
      ClusterDiscovery discovery,
      StepObserver observer,
      HelmOperations operations,
      EventRecorder events,
      Clock clock,
      ReleaseClaims claims) {
    this(
        objects,
        discovery,
        observer,
        operations,
        events,
        clock,
        claims,
        ReleaseClients.operatorOnly(objects, null),
        TenancyPolicy.NONE);
  }

  /**
   * @param clients the clients a release's hooks, deletes and DaemonSet searches are made with
   * @param tenancy refuses DaemonSet selectors in other namespaces when it says so
   */
  public TeardownExecutor(
      ClusterObjects objects,
      ClusterDiscovery discovery,
      StepObserver observer,
      HelmOperations operations,
      EventRecorder events,
      Clock clock,
      ReleaseClaims claims,
      ReleaseClients clients,
      TenancyPolicy tenancy) {
    this.clients = clients;
    this.tenancy = tenancy;
    this.claims = claims;
    this.objects = objects;
    this.discovery = discovery;
    this.observer = observer;
    this.operations = operations;
    this.events = events;
    this.clock = clock;
    this.daemonSets = new OperatorDaemonSets(clients, tenancy, observer, events);
  }

  /**
   * What the teardown of {@code resource} would read or change in namespaces the operator refuses
   * ({@link TenancyPolicy#teardownProblems}), one message each; empty when it may go ahead.
   */
  public List<String> refusedNamespaces(OrderedRelease resource) {
    return tenancy.teardownProblems(resource);
  }

  /**
   * Whether the release is this object's to tear down, decided once, before the teardown begins
   * (see {@link ReleaseOwnership#toTearDown}). While a Helm operation of this object still runs,
   * the release is being written by it, so the teardown goes ahead as before.
   */
  public Ownership ownership(OrderedRelease resource) {
    if (operations.state(ResourceID.fromResource(resource)) instanceof HelmOperations.Running) {
      return new Ownership(TeardownVerdict.TearDown, null);
    }
    Claim claim = claims.claim(resource);
    boolean ownerGone = claim instanceof OtherOwner && claims.ownerGone(claim);
    TeardownVerdict verdict = ReleaseOwnership.toTearDown(resource, claim, ownerGone);
    String message =
        switch (verdict) {
          case TearDown -> null;
          case LeaveAlone -> ReleaseOwnership.leftAlone(resource, claim);
          case NothingInstalled ->
              "Helm has no record of release "
                  + resource.targetNamespace()
                  + "/"
                  + resource.releaseName()
                  + " and this OrderedRelease never recorded installing it: nothing of its own"
                  + " to tear down, and objects that merely carry that release name are left"
                  + " alone; removing the finalizer";
        };
    return new Ownership(verdict, message);
  }

  /**
   * Plans the teardown from the latest release record. Without a record (install never got that
   * far, or it is already gone), or with {@code orderly.dev/ignore-release-record}, the plan holds
   * only what can be known: the release step and the DaemonSets found later.
   *
   * @throws TeardownBlocked when the record exists but cannot be read, or a hook the teardown would
   *     run does not parse, so nothing is removed on a guess
   */
  public TeardownStatus begin(OrderedRelease resource, Instant now) {
    String release = resource.releaseName();
    String namespace = resource.targetNamespace();
    Optional<Secret> latest =
        ReleaseSecrets.latest(release, objects.releaseSecrets(namespace, release));
    boolean ignored =
        latest.isPresent()
            && TeardownCoordinator.annotated(resource, TeardownCoordinator.IGNORE_RELEASE_RECORD);
    Optional<HelmReleaseRecord> record =
        ignored ? Optional.empty() : latest.map(secret -> readable(resource, secret));
    TeardownPlan plan =
        record
            .map(
                r ->
                    TeardownPlanner.plan(
                        r,
                        resource.getSpec().getUninstall(),
                        ResourceScopes.discovered(r, discovery::clusterScopedKinds)))
            .orElseGet(() -> planWithoutRecord(resource, ignored));
    if (ignored) {
      events.record(
          resource,
          Type.Warning,
          Reasons.RELEASE_RECORD_IGNORED,
          TeardownCoordinator.IGNORE_RELEASE_RECORD
              + " is set: Helm's record of release "
              + namespace
              + "/"
              + release
              + " is not read and its hooks do not run. Tearing down the DaemonSets that can be"
              + " found, the cluster-scoped objects Helm's ownership annotations name, and the"
              + " record's Secrets; the release's other namespaced objects stay");
    } else if (record.isEmpty()) {
      events.record(
          resource,
          Type.Warning,
          Reasons.RELEASE_RECORD_MISSING,
          "Helm has no record of release "
              + namespace
              + "/"
              + release
              + " (a namespace deletion takes it along); its hooks cannot be known or run."
              + " Tearing down the DaemonSets that can be found, the cluster-scoped objects Helm's"
              + " ownership annotations name, and the release itself");
    }
    TeardownStatus teardown = new TeardownStatus();
    teardown.setPhase(TeardownPhase.PreDeleteHooks);
    teardown.setStartedAt(now.toString());
    teardown.setPhaseStartedAt(now.toString());
    teardown.setRevision(plan.revision());
    teardown.setSteps(plan.initialSteps());
    if (record.isEmpty()) {
      // Said in status too: in a namespace being deleted the Event above cannot be recorded.
      String why =
          ignored
              ? TeardownCoordinator.IGNORE_RELEASE_RECORD
                  + " is set: Helm's record was not read and its hooks did not run"
              : "Helm had no record of the release when the teardown began; its hooks"
                  + " could not be known or run";
      teardown.getSteps().stream()
          .filter(step -> PlannedStep.RELEASE_KIND.equals(step.getKind()))
          .forEach(step -> step.setMessage(why));
    }
    return teardown;
  }

  /**
   * The record {@code secret} holds, with the hooks the teardown would run: all of them, or, when
   * hooks are skipped anyway, those whose manifests parse.
   *
   * @throws TeardownBlocked when it cannot be read, or a hook to run does not parse
   */
  private HelmReleaseRecord readable(OrderedRelease resource, Secret secret) {
    String where = ReleaseSecrets.describe(secret);
    HelmReleaseRecord record;
    try {
      record = ReleaseRecordCodec.decode(secret);
      record.objects(); // a manifest that does not parse is as unreadable as the record
    } catch (IllegalArgumentException e) {
      String why =
          e instanceof MalformedReleaseException
              ? e.getMessage()
              : where + ": its manifest: " + e.getMessage();
      throw TeardownBlocked.unreadableRecord(
          resource.targetNamespace() + "/" + resource.releaseName(),
          new MalformedReleaseException(why, e));
    }
    Map<HelmHook, String> broken =
        TeardownPlanner.unparsableHooks(record.hooks(), resource.getSpec().getUninstall());
    if (broken.isEmpty()) {
      return record;
    }
    boolean noHooksRun =
        TeardownCoordinator.annotated(resource, TeardownCoordinator.SKIP_HOOKS)
            || TeardownCoordinator.annotated(resource, TeardownCoordinator.FORCE);
    if (!noHooksRun) {
      throw TeardownBlocked.unparsableHooks(where, broken);
    }
    // Skipped all the same; left out of the plan, since no object can be made from them.
    events.record(
        resource,
        Type.Warning,
        Reasons.HOOKS_SKIPPED,
        "hooks whose manifests do not parse are left out of the plan: "
            + broken.keySet().stream().map(TeardownBlocked::describe).toList());
    List<HelmHook> hooks =
        record.hooks().stream().filter(hook -> !broken.containsKey(hook)).toList();
    return new HelmReleaseRecord(
        record.name(),
        record.namespace(),
        record.version(),
        record.status(),
        record.chartName(),
        record.chartVersion(),
        record.manifest(),
        hooks);
  }

  /**
   * Without Helm's record only the objects that say they are the release's can be known: the
   * cluster-scoped ones by Helm's ownership annotations (namespaced ones go with their namespace,
   * or are found as DaemonSets later).
   */
  private TeardownPlan planWithoutRecord(OrderedRelease resource, boolean ignored) {
    String release = resource.releaseName();
    String namespace = resource.targetNamespace();
    List<ReleaseObject> found =
        clients.objects(resource).clusterScopedObjectsOf(release, namespace).stream()
            .map(
                o ->
                    ReleaseObject.of(
                        o.getApiVersion(), o.getKind(), null, o.getMetadata().getName()))
            .toList();
    UninstallOptions options = resource.getSpec().getUninstall();
    if (ignored && options.isKeepHistory()) {
      // A record that cannot be read cannot be marked uninstalled either; it is removed.
      options = Serialization.clone(options);
      options.setKeepHistory(false);
    }
    return TeardownPlanner.plan(release, namespace, null, found, List.of(), options);
  }

  /**
   * In the DaemonSets phase, adds the operator-managed DaemonSets not yet in the plan.
   *
   * @throws TeardownBlocked when the search is refused: see {@link OperatorDaemonSets#add}
   */
  public void addOperatorDaemonSets(OrderedRelease resource) {
    daemonSets.add(resource);
  }

  /**
   * What the cluster shows for the unfinished steps of {@code resource}'s current phase. First says
   * what this look needs watched ({@link WatchNeeds}), so informers start and stop with the phases.
   */
  public Map<Integer, Observed> observe(OrderedRelease resource) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    ResourceID id = ResourceID.fromResource(resource);
    observer.need(
        id,
        WatchNeeds.of(
            teardown.getSteps(),
            teardown.getPhase(),
            OperatorDaemonSets.searched(resource, tenancy)));
    return observer.observe(
        id,
        PhaseDecider.observed(teardown.getSteps(), teardown.getPhase()),
        resource.getMetadata().getUid());
  }

  /** Carries out {@code actions}; returns whether any was sent. Failures are recorded on steps. */
  public boolean carryOut(
      OrderedRelease resource, List<TeardownAction> actions, CrashPoints crashPoints) {
    List<TeardownStep> steps = resource.getStatus().getTeardown().getSteps();
    for (TeardownAction action : actions) {
      if (action instanceof TeardownAction.CreateHook create) {
        createHook(resource, steps.get(create.step()));
      } else if (action instanceof TeardownAction.Delete delete) {
        delete(resource, steps.get(delete.step()), delete);
      } else if (action instanceof TeardownAction.RemoveRelease remove) {
        removeRelease(resource, steps.get(remove.step()), remove);
      }
      crashPoints.reached("after-" + nameOf(action));
    }
    return !actions.isEmpty();
  }

  /** The action's name in crash points and logs: create-hook, delete or remove-release. */
  static String nameOf(TeardownAction action) {
    if (action instanceof TeardownAction.CreateHook) {
      return "create-hook";
    }
    return action instanceof TeardownAction.Delete ? "delete" : "remove-release";
  }

  /** What the Helm pool is doing for {@code id}: a teardown plans only once nothing runs. */
  public HelmOperations.State helmState(ResourceID id) {
    return operations.state(id);
  }

  /**
   * Drops what the Helm pool keeps about {@code id} and the watches its teardown needed, once the
   * teardown is over or the release is left alone.
   */
  public void forget(ResourceID id) {
    operations.forget(id);
    observer.forget(id);
    daemonSets.forget(id);
  }

  private void createHook(OrderedRelease resource, TeardownStep step) {
    try {
      GenericKubernetesResource hook =
          Serialization.unmarshal(step.getManifest(), GenericKubernetesResource.class);
      if (step.getNamespace() != null) {
        hook.getMetadata().setNamespace(step.getNamespace());
      }
      Map<String, String> labels = new HashMap<>();
      if (hook.getMetadata().getLabels() != null) {
        labels.putAll(hook.getMetadata().getLabels());
      }
      labels.put(OrderedRelease.TEARDOWN_LABEL, resource.getMetadata().getUid());
      hook.getMetadata().setLabels(labels);
      GenericKubernetesResource made = clients.objects(resource).create(hook);
      // Until the cache has it, looks answer with it, so it is never taken for one that vanished.
      observer.created(step, made);
      step.setUid(made.getMetadata().getUid());
    } catch (KubernetesClientException | IllegalArgumentException e) {
      if (namespaceTerminating(e)) {
        // `kubectl delete namespace` took the release's namespace: nothing can be created in it
        // any more, and failing the hook would hold the finalizer, and so the namespace, forever.
        step.setState(TeardownStep.State.Skipped);
        step.setMessage(
            "not run: namespace "
                + step.getNamespace()
                + " is being deleted; nothing can be"
                + " created in it");
        events.record(
            resource,
            Type.Warning,
            Reasons.HOOKS_SKIPPED,
            step.describe() + " " + step.getMessage());
        return;
      }
      // Anything worth asking again (a 5xx, 429, 409, a lost connection) ends the look; the
      // next one adopts the object if it was made after all, or creates it again.
      if (e instanceof KubernetesClientException client && ApiErrors.isTransient(client)) {
        throw client;
      }
      Optional<String> forbidden =
          e instanceof KubernetesClientException client
              ? forbidden(clients, resource, client, "create " + step.describe())
              : Optional.empty();
      String why =
          forbidden.orElseGet(
              () ->
                  e instanceof KubernetesClientException client
                      ? ApiErrors.describe(client)
                      : e.getMessage());
      step.setState(TeardownStep.State.Failed);
      step.setMessage("could not be created: " + why);
      events.record(
          resource,
          Type.Warning,
          forbidden.isPresent() ? Reasons.SERVICE_ACCOUNT_FORBIDDEN : "HookCreateFailed",
          step.describe() + " could not be created: " + why);
    }
  }

  /**
   * The refusal {@code e}, said as what the release's ServiceAccount may not do, when the call was
   * made as one and the API server refused it (403); empty otherwise. {@code attempt} (e.g. "delete
   * DaemonSet ns/name") names the call when the server's message does not.
   */
  static Optional<String> forbidden(
      ReleaseClients clients,
      OrderedRelease resource,
      KubernetesClientException e,
      String attempt) {
    Optional<ServiceAccountIdentity> account = clients.identity(resource);
    if (account.isEmpty() || e.getCode() != 403 || namespaceTerminating(e)) {
      return Optional.empty();
    }
    String server =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    return Optional.of(
        PermissionRefusal.describeFor(server, account.get().toString())
            .orElse(account.get() + " may not " + attempt + ": " + server));
  }

  /** The API server's NamespaceLifecycle refusal: the namespace has a deletionTimestamp. */
  static boolean namespaceTerminating(RuntimeException e) {
    if (!(e instanceof KubernetesClientException client) || client.getCode() != 403) {
      return false;
    }
    Status status = client.getStatus();
    boolean byCause =
        status != null
            && status.getDetails() != null
            && status.getDetails().getCauses() != null
            && status.getDetails().getCauses().stream()
                .anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    return byCause
        || String.valueOf(client.getMessage()).contains("because it is being terminated");
  }

  private void delete(OrderedRelease resource, TeardownStep step, TeardownAction.Delete delete) {
    try {
      clients
          .objects(resource)
          .delete(
              step.getApiVersion(),
              step.getKind(),
              step.getNamespace(),
              step.getName(),
              delete.propagation());
      // Until the cache shows it, looks see the object terminating: no second delete.
      observer.deleted(step, delete.uid());
    } catch (KubernetesClientException e) {
      if (ApiErrors.isTransient(e)) {
        throw e;
      }
      // A definite answer: PhaseDecider says what it means for the step (an object's phase
      // stalls and asks again at the stall's pace; a timed-out hook is left running).
      Optional<String> forbidden = forbidden(clients, resource, e, "delete " + step.describe());
      Optional<String> warning =
          PhaseDecider.deleteRefused(step, forbidden.orElseGet(() -> ApiErrors.describe(e)));
      warning.ifPresent(
          message ->
              events.record(
                  resource,
                  Type.Warning,
                  forbidden.isPresent()
                      ? Reasons.SERVICE_ACCOUNT_FORBIDDEN
                      : Reasons.DELETE_REFUSED,
                  message));
    }
  }

  /**
   * Removes Helm's record by its Secrets, never with {@code helm uninstall}, which would delete
   * every object of the manifest again, CustomResourceDefinitions from templates/ included.
   */
  private void removeRelease(
      OrderedRelease resource, TeardownStep step, TeardownAction.RemoveRelease remove) {
    String release = step.getName();
    String namespace = step.getNamespace();
    // Helm's uninstall: as the release's ServiceAccount.
    ClusterObjects asRelease = clients.objects(resource);
    try {
      List<Secret> secrets = asRelease.releaseSecrets(namespace, release);
      if (remove.keepHistory()) {
        ReleaseRecordRemoval.toMarkUninstalled(release, secrets, clock.instant())
            .forEach(asRelease::updateSecret);
      } else {
        for (Secret secret : ReleaseRecordRemoval.toDelete(release, secrets)) {
          asRelease.deleteSecret(namespace, secret.getMetadata().getName());
        }
      }
    } catch (KubernetesClientException e) {
      if (ApiErrors.isTransient(e)) {
        throw e;
      }
      // Its phase stalls, and says so in one Warning.
      PhaseDecider.deleteRefused(
          step,
          forbidden(
                  clients,
                  resource,
                  e,
                  "remove Helm's record of release " + namespace + "/" + release)
              .orElseGet(() -> ApiErrors.describe(e)));
    } catch (MalformedReleaseException e) {
      PhaseDecider.deleteRefused(step, "Helm's release record cannot be read: " + e.getMessage());
    }
  }
}
