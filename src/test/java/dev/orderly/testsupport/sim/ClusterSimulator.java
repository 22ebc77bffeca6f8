package dev.orderly.testsupport.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Small fake controllers standing in for the ones Kubernetes runs, each behaving as Kubernetes
 * documents, so teardown order can be asserted on the test API server:
 *
 * <ul>
 *   <li><b>DaemonSet controller</b>: one Pod per simulated node for each DaemonSet, owned by it
 *       (controller, blockOwnerDeletion), Running.
 *   <li><b>Job controller</b>: completes or fails a Job when the test says so (or every Job at
 *       once, with {@link #completeJobsAutomatically}).
 *   <li><b>Garbage collector</b>: for an owner in foreground deletion, deletes its dependent Pods
 *       and removes the {@code foregroundDeletion} finalizer once none is left; Pods whose owner is
 *       gone (background deletion) are deleted.
 *   <li><b>Workload controllers and volume binding</b> ({@link RolloutController}): Deployments,
 *       StatefulSets and DaemonSets roll out at once, their status saying so, and
 *       PersistentVolumeClaims are bound, unless the test holds them ({@link #holdRollout}).
 *   <li><b>Kubelet</b>: a deleted Pod stays terminating (a finalizer stands in for its grace
 *       period) until the test lets it finish ({@link #finishTerminating}), or at once when {@link
 *       #terminatePodsAtOnce} is set. At that moment the <b>RBAC probe</b> records whether the
 *       Pod's ServiceAccount and a binding naming it still existed.
 * </ul>
 *
 * Each acts on informer events, on its own threads; nothing polls or sleeps.
 */
public final class ClusterSimulator implements AutoCloseable {
  /** Stands in for the kubelet's grace period: a deleted pod stays until this is removed. */
  public static final String KUBELET_FINALIZER = "sim.orderly.dev/kubelet";

  private static final String FOREGROUND = "foregroundDeletion";

  private final KubernetesClient client;
  private final List<String> nodes;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final List<PodTermination> terminations = new CopyOnWriteArrayList<>();
  private final Set<String> stuckPods = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean terminateAtOnce;
  private volatile boolean completeJobs;
  private final RolloutController rollouts;

  /** A simulator for a cluster of {@code nodeCount} nodes; call {@link #start()}. */
  public ClusterSimulator(KubernetesClient client, int nodeCount) {
    this.client = client;
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= nodeCount; i++) {
      names.add("node-" + i);
    }
    this.nodes = List.copyOf(names);
    this.rollouts = new RolloutController(client, nodeCount);
  }

  /** Starts every fake controller and waits until their informers have synced. */
  public ClusterSimulator start() {
    informers.add(
        client
            .apps()
            .daemonSets()
            .inAnyNamespace()
            .inform(handler(this::daemonSetChanged, this::ownerGone)));
    informers.add(
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .inform(handler(this::jobChanged, this::ownerGone)));
    informers.add(
        client
            .apps()
            .deployments()
            .inAnyNamespace()
            .inform(handler(this::ownerChanged, this::ownerGone)));
    informers.add(client.pods().inAnyNamespace().inform(handler(this::podChanged, this::podGone)));
    rollouts.start();
    return this;
  }

  /**
   * Workloads whose name starts with {@code prefix} never become available: observed, updated, but
   * no replica ready, as with an image that cannot be pulled; such claims stay unbound.
   */
  public void holdRollout(String prefix) {
    rollouts.hold(prefix);
  }

  /** Lets the held workloads named with {@code prefix} roll out now. */
  public void releaseRollout(String prefix) {
    rollouts.release(prefix);
  }

  /** Let every terminating pod finish now, and later ones at once. */
  public void terminatePodsAtOnce(boolean atOnce) {
    terminateAtOnce = atOnce;
    if (atOnce) {
      finishTerminating(pod -> true);
    }
  }

  /** Marks pods whose name starts with {@code prefix} as never finishing termination. */
  public void neverStop(String prefix) {
    stuckPods.add(prefix);
  }

  /** Completes Jobs as soon as they exist. */
  public void completeJobsAutomatically(boolean complete) {
    completeJobs = complete;
  }

  /** Lets the matching terminating pods finish: the RBAC probe runs, then the pod is gone. */
  public void finishTerminating(Predicate<Pod> which) {
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      if (pod.getMetadata().getDeletionTimestamp() != null && which.test(pod) && !stuck(pod)) {
        finishPod(pod);
      }
    }
  }

  /**
   * Marks Job {@code namespace/name} Complete, as the Job controller does when its pod succeeds.
   */
  public void completeJob(String namespace, String name) {
    setJobOutcome(namespace, name, "Complete", "Completed", "the hook's pod succeeded");
  }

  /** Marks Job {@code namespace/name} Failed with BackoffLimitExceeded. */
  public void failJob(String namespace, String name) {
    setJobOutcome(
        namespace,
        name,
        "Failed",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit");
  }

  /** Every pod termination the probe saw, in order. */
  public List<PodTermination> terminations() {
    return List.copyOf(terminations);
  }

  /** The simulated nodes' names. */
  public List<String> nodes() {
    return nodes;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
    rollouts.stop();
  }

  // ---- DaemonSet controller -----------------------------------------------------------------

  private void daemonSetChanged(DaemonSet daemonSet) {
    if (daemonSet.getMetadata().getDeletionTimestamp() != null) {
      collectForeground(daemonSet);
      return;
    }
    for (String node : nodes) {
      String name = daemonSet.getMetadata().getName() + "-" + node;
      String namespace = daemonSet.getMetadata().getNamespace();
      if (client.pods().inNamespace(namespace).withName(name).get() != null) {
        continue;
      }
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .withLabels(daemonSet.getSpec().getTemplate().getMetadata().getLabels())
              .withOwnerReferences(ownerReference(daemonSet, "apps/v1", "DaemonSet"))
              .withFinalizers(KUBELET_FINALIZER)
              .endMetadata()
              .withSpec(daemonSet.getSpec().getTemplate().getSpec())
              .editSpec()
              .withNodeName(node)
              .endSpec()
              .build();
      try {
        Pod created = client.resource(pod).create();
        created.setStatus(new PodStatusBuilder().withPhase("Running").build());
        client.resource(created).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  // ---- Job controller -----------------------------------------------------------------------

  private void jobChanged(Job job) {
    if (job.getMetadata().getDeletionTimestamp() != null) {
      collectForeground(job);
    } else if (completeJobs
        && (job.getStatus() == null || job.getStatus().getConditions().isEmpty())) {
      completeJob(job.getMetadata().getNamespace(), job.getMetadata().getName());
    }
  }

  private void setJobOutcome(
      String namespace, String name, String type, String reason, String message) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null) {
      throw new IllegalStateException("no Job " + namespace + "/" + name + " to finish");
    }
    String now = Instant.now().toString();
    job.setStatus(
        new JobStatusBuilder()
            .withConditions(
                new JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .withReason(reason)
                    .withMessage(message)
                    .withLastTransitionTime(now)
                    .withLastProbeTime(now)
                    .build())
            .build());
    client.resource(job).updateStatus();
  }

  // ---- garbage collector --------------------------------------------------------------------

  private void ownerChanged(HasMetadata owner) {
    if (owner.getMetadata().getDeletionTimestamp() != null) {
      collectForeground(owner);
    }
  }

  /** Foreground: delete the dependents, then let the owner go once none is left. */
  private void collectForeground(HasMetadata owner) {
    if (!owner.getMetadata().getFinalizers().contains(FOREGROUND)) {
      return;
    }
    List<Pod> dependents =
        dependents(owner.getMetadata().getNamespace(), owner.getMetadata().getUid());
    for (Pod pod : dependents) {
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        deleteQuietly(pod);
      }
    }
    if (dependents.isEmpty()) {
      removeFinalizer(owner, FOREGROUND);
    }
  }

  /** Background: the owner is gone, so its dependents go too. */
  private void ownerGone(HasMetadata owner) {
    dependents(owner.getMetadata().getNamespace(), owner.getMetadata().getUid())
        .forEach(this::deleteQuietly);
  }

  private List<Pod> dependents(String namespace, String uid) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(
            pod ->
                pod.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> uid.equals(o.getUid())))
        .toList();
  }

  // ---- kubelet --------------------------------------------------------------------------------

  private void podChanged(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (terminateAtOnce && !stuck(pod)) {
        finishPod(pod);
      }
      return;
    }
    // A pod whose owner was deleted in the background is garbage.
    for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
      if ("DaemonSet".equals(owner.getKind())
          && client
                  .apps()
                  .daemonSets()
                  .inNamespace(pod.getMetadata().getNamespace())
                  .withName(owner.getName())
                  .get()
              == null) {
        deleteQuietly(pod);
      }
    }
  }

  /** A dependent is gone: an owner waiting in foreground deletion may now go too. */
  private void podGone(Pod pod) {
    for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
      HasMetadata current =
          switch (owner.getKind()) {
            case "DaemonSet" ->
                client
                    .apps()
                    .daemonSets()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(owner.getName())
                    .get();
            case "Job" ->
                client
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(owner.getName())
                    .get();
            default -> null;
          };
      if (current != null && current.getMetadata().getDeletionTimestamp() != null) {
        collectForeground(current);
      }
    }
  }

  private boolean stuck(Pod pod) {
    return stuckPods.stream().anyMatch(prefix -> pod.getMetadata().getName().startsWith(prefix));
  }

  private synchronized void finishPod(Pod pod) {
    Pod current =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    if (current == null || !current.getMetadata().getFinalizers().contains(KUBELET_FINALIZER)) {
      return;
    }
    String namespace = current.getMetadata().getNamespace();
    String account =
        Objects.requireNonNullElse(current.getSpec().getServiceAccountName(), "default");
    boolean accountExists =
        client.serviceAccounts().inNamespace(namespace).withName(account).get() != null;
    terminations.add(
        new PodTermination(
            namespace,
            current.getMetadata().getName(),
            current.getMetadata().getOwnerReferences().isEmpty()
                ? null
                : current.getMetadata().getOwnerReferences().get(0).getKind(),
            account,
            accountExists,
            bindingNames(namespace, account),
            sequence.incrementAndGet()));
    removeFinalizer(current, KUBELET_FINALIZER);
  }

  private boolean bindingNames(String namespace, String account) {
    Predicate<Collection<Subject>> names =
        subjects ->
            subjects.stream()
                .anyMatch(
                    s ->
                        "ServiceAccount".equals(s.getKind())
                            && account.equals(s.getName())
                            && namespace.equals(s.getNamespace()));
    return client.rbac().clusterRoleBindings().list().getItems().stream()
            .anyMatch(b -> names.test(b.getSubjects()))
        || client.rbac().roleBindings().inNamespace(namespace).list().getItems().stream()
            .anyMatch(
                b ->
                    b.getSubjects().stream()
                        .anyMatch(
                            s ->
                                "ServiceAccount".equals(s.getKind())
                                    && account.equals(s.getName())
                                    && (s.getNamespace() == null
                                        || namespace.equals(s.getNamespace()))));
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private void removeFinalizer(HasMetadata object, String finalizer) {
    try {
      client
          .resource(object)
          .edit(
              o -> {
                o.getMetadata().getFinalizers().remove(finalizer);
                return o;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void deleteQuietly(HasMetadata object) {
    try {
      client.resource(object).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static OwnerReference ownerReference(HasMetadata owner, String apiVersion, String kind) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(
      java.util.function.Consumer<T> changed, java.util.function.Consumer<T> deleted) {
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
      public void onDelete(T object, boolean finalStateUnknown) {
        deleted.accept(object);
      }
    };
  }
}
