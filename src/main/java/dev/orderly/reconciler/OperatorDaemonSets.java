package dev.orderly.reconciler;

import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.DaemonSetSelector;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.kube.EventRecorder;
import dev.orderly.kube.EventRecorder.Type;
import dev.orderly.kube.ReleaseClients;
import dev.orderly.kube.StepObserver;
import dev.orderly.teardown.DaemonSetSelection;
import dev.orderly.teardown.TeardownBlocked;
import dev.orderly.teardown.WatchKey;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The search for the DaemonSets a release's own operator made (not in the chart, so not in Helm's
 * record): by {@code spec.uninstall.daemonSets} selectors and in the release namespace, as the
 * release's ServiceAccount, added to the DaemonSets phase so they come down in order with the
 * chart's.
 */
final class OperatorDaemonSets {
  private final ReleaseClients clients;
  private final TenancyPolicy tenancy;
  private final StepObserver observer;
  private final EventRecorder events;
  // Per teardown, the namespaces where its ServiceAccount was seen allowed to list DaemonSets.
  private final Map<ResourceID, Set<String>> searchedAsAccount = new ConcurrentHashMap<>();

  OperatorDaemonSets(
      ReleaseClients clients, TenancyPolicy tenancy, StepObserver observer, EventRecorder events) {
    this.clients = clients;
    this.tenancy = tenancy;
    this.observer = observer;
    this.events = events;
  }

  /**
   * In the DaemonSets phase, adds the operator-managed DaemonSets not yet in the plan, searched for
   * as the release's ServiceAccount.
   *
   * @throws TeardownBlocked when a selector is empty or names a refused namespace, or the
   *     ServiceAccount may not list DaemonSets where a selector looks: nothing is added then
   */
  void add(OrderedRelease resource) {
    TeardownStatus teardown = resource.getStatus().getTeardown();
    if (teardown.getPhase() != TeardownPhase.DaemonSets) {
      return;
    }
    List<String> refused = new ArrayList<>(SpecValidator.daemonSetProblems(resource));
    // A selector naming no namespace looks in targetNamespace, so that is checked too.
    refused.addAll(tenancy.teardownProblems(resource));
    if (!refused.isEmpty()) {
      boolean crossNamespace = SpecValidator.daemonSetProblems(resource).isEmpty();
      refuseSearch(
          resource,
          crossNamespace ? Reasons.CROSS_NAMESPACE_REFERENCE : Reasons.INVALID_SPEC,
          "no DaemonSet is searched for or deleted: "
              + String.join("; ", refused)
              + ". Fix spec.uninstall.daemonSets (or spec.targetNamespace) and the teardown goes"
              + " on");
      return;
    }
    List<DaemonSet> bySelector = new ArrayList<>();
    List<DaemonSet> inNamespace;
    try {
      for (DaemonSetSelector selector : resource.getSpec().getUninstall().getDaemonSets()) {
        String namespace =
            selector.getNamespace() == null ? resource.targetNamespace() : selector.getNamespace();
        daemonSetsIn(resource, namespace).stream()
            .filter(found -> DaemonSetSelection.selects(selector.getSelector(), labelsOf(found)))
            .forEach(bySelector::add);
      }
      inNamespace = daemonSetsIn(resource, resource.targetNamespace());
    } catch (KubernetesClientException e) {
      Optional<String> forbidden =
          TeardownExecutor.forbidden(clients, resource, e, "list DaemonSets");
      if (forbidden.isPresent()) {
        refuseSearch(
            resource,
            Reasons.SERVICE_ACCOUNT_FORBIDDEN,
            "cannot search for the DaemonSets to delete: "
                + forbidden.get()
                + "; nothing further is deleted until it may");
        return;
      }
      throw e;
    }
    teardown
        .getSteps()
        .addAll(
            DaemonSetSelection.additions(
                resource.releaseName(), teardown.getSteps(), bySelector, inNamespace));
  }

  /**
   * The DaemonSets of {@code namespace}, from the DaemonSet cache once it has synced. A release
   * that acts as a ServiceAccount lists them as that account once per namespace and teardown first,
   * so a search it may not make is refused as before; the cache answers after that.
   */
  private List<DaemonSet> daemonSetsIn(OrderedRelease resource, String namespace) {
    ResourceID id = ResourceID.fromResource(resource);
    boolean asAccount = clients.identity(resource).isPresent();
    boolean checked =
        !asAccount || searchedAsAccount.getOrDefault(id, Set.of()).contains(namespace);
    Optional<List<DaemonSet>> cached =
        checked
            ? observer.cached(WatchKey.daemonSets(namespace), DaemonSet.class)
            : Optional.empty();
    if (cached.isPresent()) {
      return cached.get();
    }
    List<DaemonSet> listed = clients.objects(resource).daemonSets(namespace, null);
    if (asAccount) {
      searchedAsAccount.computeIfAbsent(id, key -> ConcurrentHashMap.newKeySet()).add(namespace);
    }
    return listed;
  }

  /**
   * The namespaces {@link #add} searches: the release namespace and those the spec's selectors
   * name; none when the search would be refused.
   */
  static Set<String> searched(OrderedRelease resource, TenancyPolicy tenancy) {
    if (!SpecValidator.daemonSetProblems(resource).isEmpty()
        || !tenancy.teardownProblems(resource).isEmpty()) {
      return Set.of();
    }
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add(resource.targetNamespace());
    for (DaemonSetSelector selector : resource.getSpec().getUninstall().getDaemonSets()) {
      if (selector != null && selector.getNamespace() != null) {
        namespaces.add(selector.getNamespace());
      }
    }
    return namespaces;
  }

  private static Map<String, String> labelsOf(DaemonSet daemonSet) {
    return daemonSet.getMetadata().getLabels();
  }

  /**
   * Holds the teardown where it is ({@link TeardownBlocked}), unless {@code orderly.dev/force} is
   * set: then it goes on without the DaemonSets that could not be searched for, saying so.
   */
  private void refuseSearch(OrderedRelease resource, String reason, String message) {
    if (!TeardownCoordinator.annotated(resource, TeardownCoordinator.FORCE)) {
      throw TeardownBlocked.refused(reason, message);
    }
    events.record(
        resource,
        Type.Warning,
        reason,
        message + "; " + TeardownCoordinator.FORCE + " is set: going on without them");
  }

  /** The teardown of {@code id} is over: what its account was seen allowed to list is dropped. */
  void forget(ResourceID id) {
    searchedAsAccount.remove(id);
  }
}
