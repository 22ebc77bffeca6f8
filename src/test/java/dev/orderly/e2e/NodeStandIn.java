package dev.orderly.e2e;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a kubelet would do on a real control plane that has none, and nothing more: registers Ready
 * Nodes and renews their Leases, reports bound pods Running, ends Job pods as the test says, and
 * finishes a deleting pod after its simulated preStop. At preStop it probes the API server as the
 * pod's ServiceAccount, so "the pod still had its RBAC" is the real API server's decision.
 */
final class NodeStandIn implements AutoCloseable {
  /** The user agent of the stand-in's own requests, so the audit log tells them apart. */
  static final String USER_AGENT = "orderly-e2e-node-stand-in";

  private static final Logger LOG = LoggerFactory.getLogger(NodeStandIn.class);

  /** How a Job pod ends, and after how long. */
  record JobPodEnd(boolean succeeded, Duration after) {}

  /** What the probe of one terminating pod got from the API server. */
  record ProbeResult(
      String namespace, String pod, String owner, String serviceAccount, int code, Instant at) {
    boolean authorised() {
      return code >= 200 && code < 300;
    }
  }

  /** A Job pod the stand-in ended, and when. */
  record EndedJobPod(String namespace, String pod, boolean succeeded, Instant at) {}

  /** A call a pod makes at preStop; answers the HTTP status the server gave. */
  @FunctionalInterface
  interface Probe {
    void call(KubernetesClient asPod);
  }

  private final ControlPlane plane;
  private final KubernetesClient client;
  private final List<String> nodes;
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Map<String, KubernetesClient> podClients = new ConcurrentHashMap<>();
  private final List<ProbeResult> probes = new CopyOnWriteArrayList<>();
  private final List<EndedJobPod> endedJobPods = new CopyOnWriteArrayList<>();
  private volatile Function<Pod, Optional<Probe>> probeFor = pod -> Optional.empty();
  private volatile Function<Pod, JobPodEnd> jobPodEnd =
      pod -> new JobPodEnd(true, Duration.ofSeconds(1));
  private volatile Function<Pod, Duration> preStop = pod -> Duration.ofSeconds(1);
  private volatile Function<Pod, Optional<Duration>> startAfter = pod -> Optional.of(Duration.ZERO);
  private SharedIndexInformer<Pod> pods;

  NodeStandIn(ControlPlane plane, List<String> nodes) {
    this.plane = plane;
    this.client = plane.adminAs(USER_AGENT);
    this.nodes = List.copyOf(nodes);
  }

  /** Registers the nodes, starts renewing their Leases and acting on pods. */
  NodeStandIn start() {
    for (String node : nodes) {
      register(node);
    }
    executor.scheduleWithFixedDelay(this::renewLeases, 0, 5, TimeUnit.SECONDS);
    pods =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    act(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod pod) {
                    act(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownState) {}
                });
    return this;
  }

  NodeStandIn probing(Function<Pod, Optional<Probe>> probeFor) {
    this.probeFor = probeFor;
    return this;
  }

  NodeStandIn endingJobPods(Function<Pod, JobPodEnd> jobPodEnd) {
    this.jobPodEnd = jobPodEnd;
    return this;
  }

  /** How long a bound pod takes to start; empty: it never does (an image that cannot be pulled). */
  NodeStandIn startingPods(Function<Pod, Optional<Duration>> startAfter) {
    this.startAfter = startAfter;
    return this;
  }

  NodeStandIn preStop(Function<Pod, Duration> preStop) {
    this.preStop = preStop;
    return this;
  }

  List<ProbeResult> probes() {
    return List.copyOf(probes);
  }

  List<EndedJobPod> endedJobPods() {
    return List.copyOf(endedJobPods);
  }

  List<String> nodes() {
    return nodes;
  }

  private void register(String node) {
    if (client.nodes().withName(node).get() == null) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .addToLabels("kubernetes.io/hostname", node)
                  .addToLabels("kubernetes.io/os", "linux")
                  .endMetadata()
                  .build())
          .create();
    }
    retryOnConflict(
        () ->
            client
                .nodes()
                .withName(node)
                .editStatus(
                    n -> {
                      Map<String, Quantity> capacity =
                          Map.of(
                              "cpu", new Quantity("16"),
                              "memory", new Quantity("64Gi"),
                              "pods", new Quantity("110"));
                      n.getStatus().setCapacity(capacity);
                      n.getStatus().setAllocatable(capacity);
                      n.getStatus()
                          .setConditions(
                              List.of(
                                  new NodeConditionBuilder()
                                      .withType("Ready")
                                      .withStatus("True")
                                      .withReason("KubeletReady")
                                      .withMessage("the e2e node stand-in is ready")
                                      .withLastHeartbeatTime(now())
                                      .withLastTransitionTime(now())
                                      .build()));
                      return n;
                    }));
  }

  private void renewLeases() {
    for (String node : nodes) {
      try {
        client
            .leases()
            .inNamespace("kube-node-lease")
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName(node)
                    .withNamespace("kube-node-lease")
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity(node)
                    .withLeaseDurationSeconds(40)
                    .withRenewTime(ZonedDateTime.now(java.time.ZoneOffset.UTC))
                    .endSpec()
                    .build())
            .forceConflicts()
            .serverSideApply();
      } catch (KubernetesClientException e) {
        LOG.warn("lease of {} not renewed: {}", node, e.getMessage());
      }
    }
  }

  private void act(Pod pod) {
    String key = pod.getMetadata().getUid();
    String node = pod.getSpec().getNodeName();
    if (node == null || !nodes.contains(node)) {
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (handled.add(key + "/terminate")) {
        executor.execute(() -> terminate(pod));
      }
      return;
    }
    if (("Pending".equals(phase) || phase == null) && handled.add(key + "/start")) {
      startAfter
          .apply(pod)
          .ifPresent(
              after -> executor.schedule(() -> run(pod), after.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private void run(Pod pod) {
    edit(pod, "Running", null);
    if (ownerKind(pod).equals("Job")) {
      JobPodEnd end = jobPodEnd.apply(pod);
      executor.schedule(
          () -> {
            edit(pod, end.succeeded() ? "Succeeded" : "Failed", end.succeeded() ? 0 : 1);
            endedJobPods.add(
                new EndedJobPod(
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    end.succeeded(),
                    Instant.now()));
          },
          end.after().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** At preStop: probe as the pod, wait the simulated preStop, then finish the deletion. */
  private void terminate(Pod pod) {
    probeFor.apply(pod).ifPresent(probe -> probe(pod, probe));
    executor.schedule(
        () -> {
          try {
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withGracePeriod(0)
                .delete();
          } catch (KubernetesClientException e) {
            LOG.warn("pod {} not finished: {}", pod.getMetadata().getName(), e.getMessage());
          }
        },
        preStop.apply(pod).toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void probe(Pod pod, Probe probe) {
    String namespace = pod.getMetadata().getNamespace();
    String account = Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
    KubernetesClient asPod =
        podClients.computeIfAbsent(namespace + "/" + account, k -> plane.as(namespace, account));
    int code;
    try {
      probe.call(asPod);
      code = 200;
    } catch (KubernetesClientException e) {
      code = e.getCode();
    }
    probes.add(
        new ProbeResult(
            namespace, pod.getMetadata().getName(), ownerKind(pod), account, code, Instant.now()));
  }

  private void edit(Pod pod, String phase, Integer exitCode) {
    try {
      retryOnConflict(
          () ->
              client
                  .pods()
                  .inNamespace(pod.getMetadata().getNamespace())
                  .withName(pod.getMetadata().getName())
                  .editStatus(
                      p -> {
                        boolean running = "Running".equals(phase);
                        p.getStatus().setPhase(phase);
                        p.getStatus().setStartTime(now());
                        p.getStatus().setPodIP("10.0.0.1");
                        p.getStatus()
                            .setConditions(
                                List.of(
                                    new PodConditionBuilder()
                                        .withType("Ready")
                                        .withStatus(running ? "True" : "False")
                                        .withLastTransitionTime(now())
                                        .build()));
                        p.getStatus()
                            .setContainerStatuses(
                                p.getSpec().getContainers().stream()
                                    .map(c -> containerStatus(c.getName(), c.getImage(), exitCode))
                                    .toList());
                        return p;
                      }));
    } catch (KubernetesClientException e) {
      // Deleted meanwhile, or a conflict with a controller: the next event brings it back.
      LOG.debug("pod {} not set {}: {}", pod.getMetadata().getName(), phase, e.getMessage());
    }
  }

  private static ContainerStatus containerStatus(String name, String image, Integer exitCode) {
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(name)
            .withImage(image)
            .withImageID(image)
            .withReady(exitCode == null)
            .withRestartCount(0)
            .withStarted(exitCode == null);
    if (exitCode == null) {
      status.withNewState().withNewRunning().withStartedAt(now()).endRunning().endState();
    } else {
      status
          .withNewState()
          .withNewTerminated()
          .withExitCode(exitCode)
          .withReason(exitCode == 0 ? "Completed" : "Error")
          .withFinishedAt(now())
          .endTerminated()
          .endState();
    }
    return status.build();
  }

  /** Controllers write the same objects; a conflict means "read again and retry". */
  private static void retryOnConflict(Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  static String ownerKind(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    return owners == null || owners.isEmpty() ? "" : owners.get(0).getKind();
  }

  private static String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  @Override
  public void close() {
    if (pods != null) {
      pods.close();
    }
    executor.shutdownNow();
    for (String node : nodes) {
      try {
        client.nodes().withName(node).delete();
        client.leases().inNamespace("kube-node-lease").withName(node).delete();
      } catch (KubernetesClientException e) {
        LOG.warn("node {} not removed: {}", node, e.getMessage());
      }
    }
    podClients.values().forEach(KubernetesClient::close);
    client.close();
  }
}
