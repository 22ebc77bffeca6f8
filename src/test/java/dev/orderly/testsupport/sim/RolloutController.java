package dev.orderly.testsupport.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workload controllers' status, as Kubernetes reports a rollout: for each Deployment,
 * StatefulSet and DaemonSet, {@code observedGeneration} follows the generation and every replica
 * (every node's pod, for a DaemonSet) is updated, ready and available at once. A held workload is
 * observed but its pods never become available, as when an image cannot be pulled, until the test
 * lets it go. PersistentVolumeClaims are bound at once, as with a default StorageClass whose
 * provisioner binds immediately, unless held too.
 */
final class RolloutController {
  private final KubernetesClient client;
  private final int nodes;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  RolloutController(KubernetesClient client, int nodes) {
    this.client = client;
    this.nodes = nodes;
  }

  void start() {
    informers.add(
        client.apps().deployments().inAnyNamespace().inform(handler(this::deploymentChanged)));
    informers.add(
        client.apps().statefulSets().inAnyNamespace().inform(handler(this::statefulSetChanged)));
    informers.add(
        client.apps().daemonSets().inAnyNamespace().inform(handler(this::daemonSetChanged)));
    informers.add(
        client.persistentVolumeClaims().inAnyNamespace().inform(handler(this::claimChanged)));
  }

  void hold(String prefix) {
    held.add(prefix);
  }

  /** Lets held workloads named with {@code prefix} roll out now. */
  void release(String prefix) {
    held.remove(prefix);
    client.apps().deployments().inAnyNamespace().list().getItems().forEach(this::deploymentChanged);
    client
        .apps()
        .statefulSets()
        .inAnyNamespace()
        .list()
        .getItems()
        .forEach(this::statefulSetChanged);
    client.apps().daemonSets().inAnyNamespace().list().getItems().forEach(this::daemonSetChanged);
    client.persistentVolumeClaims().inAnyNamespace().list().getItems().forEach(this::claimChanged);
  }

  void stop() {
    informers.forEach(SharedIndexInformer::stop);
  }

  private void deploymentChanged(Deployment deployment) {
    if (deleting(deployment)) {
      return;
    }
    int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    int available = isHeld(deployment) ? 0 : replicas;
    DeploymentStatus wanted =
        new DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(available)
            .withAvailableReplicas(available)
            .withUnavailableReplicas(replicas - available)
            .withConditions(
                new DeploymentConditionBuilder()
                    .withType("Available")
                    .withStatus(available == replicas ? "True" : "False")
                    .withReason(
                        available == replicas
                            ? "MinimumReplicasAvailable"
                            : "MinimumReplicasUnavailable")
                    .build())
            .build();
    if (!wanted.equals(deployment.getStatus())) {
      deployment.setStatus(wanted);
      updateStatus(deployment);
    }
  }

  private void statefulSetChanged(StatefulSet statefulSet) {
    if (deleting(statefulSet)) {
      return;
    }
    int replicas = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    int ready = isHeld(statefulSet) ? 0 : replicas;
    String revision =
        statefulSet.getMetadata().getName() + "-" + statefulSet.getMetadata().getGeneration();
    var wanted =
        new StatefulSetStatusBuilder()
            .withObservedGeneration(statefulSet.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withCurrentReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withCurrentRevision(revision)
            .withUpdateRevision(revision)
            .build();
    if (!wanted.equals(statefulSet.getStatus())) {
      statefulSet.setStatus(wanted);
      updateStatus(statefulSet);
    }
  }

  private void daemonSetChanged(DaemonSet daemonSet) {
    if (deleting(daemonSet)) {
      return;
    }
    int available = isHeld(daemonSet) ? 0 : nodes;
    var wanted =
        new DaemonSetStatusBuilder()
            .withObservedGeneration(daemonSet.getMetadata().getGeneration())
            .withDesiredNumberScheduled(nodes)
            .withCurrentNumberScheduled(nodes)
            .withUpdatedNumberScheduled(nodes)
            .withNumberReady(available)
            .withNumberAvailable(available)
            .withNumberUnavailable(nodes - available)
            .withNumberMisscheduled(0)
            .build();
    if (!wanted.equals(daemonSet.getStatus())) {
      daemonSet.setStatus(wanted);
      updateStatus(daemonSet);
    }
  }

  private void claimChanged(PersistentVolumeClaim claim) {
    if (deleting(claim) || isHeld(claim)) {
      return;
    }
    if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
      claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
      updateStatus(claim);
    }
  }

  private boolean isHeld(HasMetadata workload) {
    return held.stream().anyMatch(prefix -> workload.getMetadata().getName().startsWith(prefix));
  }

  private static boolean deleting(HasMetadata workload) {
    return workload.getMetadata().getDeletionTimestamp() != null;
  }

  private void updateStatus(HasMetadata workload) {
    try {
      client.resource(workload).updateStatus();
    } catch (KubernetesClientException e) {
      // 404: deleted meanwhile; 409: changed meanwhile, and that change brings another event.
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(
      java.util.function.Consumer<T> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        changed.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {}
    };
  }
}
