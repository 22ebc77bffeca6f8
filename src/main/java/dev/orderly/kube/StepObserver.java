package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.helm.MalformedReleaseException;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.helm.ReleaseSecrets;
import dev.orderly.teardown.Observed;
import dev.orderly.teardown.Observed.HookOutcome;
import dev.orderly.teardown.PhaseDecider;
import dev.orderly.teardown.PlannedStep;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks at the objects of one phase's unfinished steps. Objects are read from the API server, not a
 * cache, so a hook created a moment ago is never mistaken for one that vanished; DaemonSet pods are
 * counted from the pod informer, where lag only delays the phase's end.
 */
public class StepObserver {
  /** Counts the pods whose ownerReferences name a given UID. */
  public interface PodCounter {
    int podsOwnedBy(String namespace, String ownerUid);
  }

  /** Helm's release Secrets of a release, every revision; their labels and UID are read. */
  public interface RecordLookup {
    List<Secret> releaseSecrets(String namespace, String release);
  }

  private final ClusterObjects objects;
  private final PodCounter pods;
  private final RecordLookup records;

  /** Reads the release record from the API server on every look (the one-shot CLI). */
  public StepObserver(ClusterObjects objects, PodCounter pods) {
    this(objects, pods, objects::releaseSecrets);
  }

  /**
   * @param records where the record's Secrets are seen, e.g. an informer cache of their metadata
   */
  public StepObserver(ClusterObjects objects, PodCounter pods, RecordLookup records) {
    this.objects = objects;
    this.pods = pods;
    this.records = records;
  }

  /**
   * Observations by step index for the unfinished steps of {@code phase}. Helm's release record is
   * seen through its Secrets: the latest revision's UID and status, or absent when none is left.
   */
  public Map<Integer, Observed> observe(
      List<TeardownStep> steps, TeardownPhase phase, String releaseUid) {
    Map<Integer, Observed> observed = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      TeardownStep step = steps.get(i);
      if (!PhaseDecider.watches(step, phase) || step.getApiVersion() == null) {
        continue;
      }
      if (isReleaseRecord(step)) {
        observed.put(i, observeRecord(step.getNamespace(), step.getName()));
        continue;
      }
      Optional<GenericKubernetesResource> live =
          objects.get(step.getApiVersion(), step.getKind(), step.getNamespace(), step.getName());
      Observed seen = live.map(StepObserver::toObserved).orElse(Observed.absent());
      if (live.isPresent() && createdBy(live.get(), releaseUid)) {
        seen = seen.createdByUs();
      }
      if ("DaemonSet".equals(step.getKind())) {
        String owner = seen.exists() ? seen.uid() : step.getUid();
        int remaining = owner == null ? 0 : pods.podsOwnedBy(step.getNamespace(), owner);
        seen = seen.withRemainingPods(remaining);
      }
      observed.put(i, seen);
    }
    return observed;
  }

  private static boolean createdBy(GenericKubernetesResource object, String releaseUid) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return releaseUid != null
        && labels != null
        && releaseUid.equals(labels.get(OrderedRelease.TEARDOWN_LABEL));
  }

  private static boolean isReleaseRecord(TeardownStep step) {
    return PlannedStep.RELEASE_API_VERSION.equals(step.getApiVersion())
        && PlannedStep.RELEASE_KIND.equals(step.getKind());
  }

  private Observed observeRecord(String namespace, String release) {
    return ReleaseSecrets.latest(release, records.releaseSecrets(namespace, release))
        .map(latest -> Observed.releaseRecord(latest.getMetadata().getUid(), statusOf(latest)))
        .orElse(Observed.absent());
  }

  // Helm labels every revision with its status; the payload is only read when a label is missing
  // (a cached record has none), and one that cannot be read has no status to tell (removing the
  // record needs none).
  private static String statusOf(Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    String status = labels == null ? null : labels.get("status");
    if (status != null) {
      return status;
    }
    try {
      return ReleaseRecordCodec.decode(secret).status();
    } catch (MalformedReleaseException e) {
      return null;
    }
  }

  private static Observed toObserved(GenericKubernetesResource object) {
    Observed seen = Observed.present(object.getMetadata().getUid());
    if (object.getMetadata().getDeletionTimestamp() != null) {
      seen = seen.terminatingNow();
    }
    return switch (object.getKind()) {
      case "Job" -> jobOutcome(seen, object);
      case "Pod" -> podOutcome(seen, object);
      // Helm treats every other hook kind as ready the moment it exists.
      default -> seen.withOutcome(HookOutcome.Succeeded, null);
    };
  }

  @SuppressWarnings("unchecked")
  private static Observed jobOutcome(Observed seen, GenericKubernetesResource job) {
    Object status = job.getAdditionalProperties().get("status");
    Object conditions = status instanceof Map<?, ?> map ? map.get("conditions") : null;
    if (!(conditions instanceof List<?> list)) {
      return seen;
    }
    for (Object item : list) {
      Map<String, Object> condition = (Map<String, Object>) item;
      if (!"True".equals(condition.get("status"))) {
        continue;
      }
      String type = String.valueOf(condition.get("type"));
      // Kubernetes 1.31+ sets SuccessCriteriaMet/FailureTarget before Complete/Failed.
      if (type.equals("Complete") || type.equals("SuccessCriteriaMet")) {
        return seen.withOutcome(HookOutcome.Succeeded, null);
      }
      if (type.equals("Failed") || type.equals("FailureTarget")) {
        return seen.withOutcome(
            HookOutcome.Failed, "Job " + condition.get("reason") + ": " + condition.get("message"));
      }
    }
    return seen;
  }

  private static Observed podOutcome(Observed seen, GenericKubernetesResource pod) {
    Object status = pod.getAdditionalProperties().get("status");
    Object phase = status instanceof Map<?, ?> map ? map.get("phase") : null;
    if ("Succeeded".equals(phase)) {
      return seen.withOutcome(HookOutcome.Succeeded, null);
    }
    if ("Failed".equals(phase)) {
      Object reason = ((Map<?, ?>) status).get("reason");
      return seen.withOutcome(
          HookOutcome.Failed, "Pod failed" + (reason == null ? "" : ": " + reason));
    }
    return seen;
  }
}
