package dev.orderly.readiness;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether one live object is ready, by the rules kstatus (and so Flux) applies: workloads have
 * rolled out their current generation, Jobs have completed, claims are bound, a LoadBalancer
 * Service has an address, a CRD is established; any other object is ready once it exists, unless
 * its own status says otherwise (observedGeneration behind, a Ready condition that is not True,
 * Stalled or Reconciling). A pure function of the object as read from the API server.
 */
public final class ObjectReadiness {
  private ObjectReadiness() {}

  /** The verdict for {@code object}, a Kubernetes object as JSON. */
  public static Verdict assess(JsonNode object) {
    JsonNode status = object.path("status");
    String behind = generationBehind(object);
    return switch (object.path("kind").asText()) {
      case "Deployment" -> behind != null ? Verdict.notReady(behind) : deployment(object, status);
      case "StatefulSet" -> behind != null ? Verdict.notReady(behind) : statefulSet(object, status);
      case "DaemonSet" -> behind != null ? Verdict.notReady(behind) : daemonSet(status);
      case "ReplicaSet" -> behind != null ? Verdict.notReady(behind) : replicaSet(object, status);
      case "Job" -> job(object, status);
      case "PersistentVolumeClaim" -> claim(status);
      case "Pod" -> pod(status);
      case "Service" -> service(object, status);
      case "CustomResourceDefinition" -> crd(status);
      default -> behind != null ? Verdict.notReady(behind) : generic(status);
    };
  }

  /** Why the controller has not yet seen the object's current spec, or null when it has. */
  private static String generationBehind(JsonNode object) {
    JsonNode generation = object.path("metadata").path("generation");
    JsonNode observed = object.path("status").path("observedGeneration");
    if (!generation.isNumber()) {
      return null;
    }
    if (!observed.isNumber()) {
      return hasStatusController(object) ? "its controller has not observed it yet" : null;
    }
    return observed.asLong() < generation.asLong()
        ? "generation " + generation.asLong() + " not yet observed"
        : null;
  }

  // Built-in workloads always get an observedGeneration from their controller; other kinds may
  // never have one.
  private static boolean hasStatusController(JsonNode object) {
    return switch (object.path("kind").asText()) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> true;
      default -> false;
    };
  }

  private static Verdict deployment(JsonNode object, JsonNode status) {
    JsonNode progressing = condition(status, "Progressing");
    if ("ProgressDeadlineExceeded".equals(progressing.path("reason").asText())) {
      return Verdict.notReady("progress deadline exceeded");
    }
    int desired = object.path("spec").path("replicas").asInt(1);
    int updated = status.path("updatedReplicas").asInt(0);
    if (updated < desired) {
      return Verdict.notReady(updated + " of " + desired + " replicas updated");
    }
    int old = status.path("replicas").asInt(0) - updated;
    if (old > 0) {
      return Verdict.notReady(old + " old " + plural(old, "replica") + " still running");
    }
    int available = status.path("availableReplicas").asInt(0);
    if (available < desired) {
      return Verdict.notReady(available + " of " + desired + " replicas available");
    }
    return Verdict.isReady();
  }

  private static Verdict statefulSet(JsonNode object, JsonNode status) {
    JsonNode spec = object.path("spec");
    int desired = spec.path("replicas").asInt(1);
    int ready = status.path("readyReplicas").asInt(0);
    if (ready < desired) {
      return Verdict.notReady(ready + " of " + desired + " replicas ready");
    }
    JsonNode strategy = spec.path("updateStrategy");
    if ("OnDelete".equals(strategy.path("type").asText())) {
      return Verdict.isReady();
    }
    int partition = strategy.path("rollingUpdate").path("partition").asInt(0);
    int updated = status.path("updatedReplicas").asInt(0);
    if (partition > 0) {
      int wanted = Math.max(desired - partition, 0);
      return updated >= wanted
          ? Verdict.isReady()
          : Verdict.notReady(updated + " of " + wanted + " replicas above the partition updated");
    }
    String current = status.path("currentRevision").asText("");
    String update = status.path("updateRevision").asText("");
    if (!update.isEmpty() && !update.equals(current)) {
      return Verdict.notReady(updated + " of " + desired + " replicas updated");
    }
    return Verdict.isReady();
  }

  private static Verdict daemonSet(JsonNode status) {
    if (!status.has("desiredNumberScheduled")) {
      return Verdict.notReady("its controller has not scheduled it yet");
    }
    int desired = status.path("desiredNumberScheduled").asInt(0);
    int updated = status.path("updatedNumberScheduled").asInt(0);
    if (updated < desired) {
      return Verdict.notReady(updated + " of " + desired + " pods updated");
    }
    int available = status.path("numberAvailable").asInt(0);
    if (available < desired) {
      return Verdict.notReady(available + " of " + desired + " pods available");
    }
    return Verdict.isReady();
  }

  private static Verdict replicaSet(JsonNode object, JsonNode status) {
    int desired = object.path("spec").path("replicas").asInt(1);
    int available = status.path("availableReplicas").asInt(0);
    return available >= desired
        ? Verdict.isReady()
        : Verdict.notReady(available + " of " + desired + " replicas available");
  }

  private static Verdict job(JsonNode object, JsonNode status) {
    for (String type : new String[] {"Complete", "SuccessCriteriaMet"}) {
      if (isTrue(condition(status, type))) {
        return Verdict.isReady();
      }
    }
    for (String type : new String[] {"Failed", "FailureTarget"}) {
      JsonNode failed = condition(status, type);
      if (isTrue(failed)) {
        return Verdict.notReady("failed: " + failed.path("reason").asText(type));
      }
    }
    if (object.path("spec").path("suspend").asBoolean(false)) {
      return Verdict.notReady("suspended");
    }
    return Verdict.notReady("not complete");
  }

  private static Verdict claim(JsonNode status) {
    String phase = status.path("phase").asText("");
    return "Bound".equals(phase)
        ? Verdict.isReady()
        : Verdict.notReady("not bound" + (phase.isEmpty() ? "" : " (" + phase + ")"));
  }

  private static Verdict pod(JsonNode status) {
    String phase = status.path("phase").asText("");
    if ("Succeeded".equals(phase) || isTrue(condition(status, "Ready"))) {
      return Verdict.isReady();
    }
    return Verdict.notReady("Failed".equals(phase) ? "failed" : "not ready");
  }

  private static Verdict service(JsonNode object, JsonNode status) {
    if (!"LoadBalancer".equals(object.path("spec").path("type").asText())) {
      return Verdict.isReady();
    }
    JsonNode ingress = status.path("loadBalancer").path("ingress");
    return ingress.isArray() && !ingress.isEmpty()
        ? Verdict.isReady()
        : Verdict.notReady("no load balancer address yet");
  }

  private static Verdict crd(JsonNode status) {
    return isTrue(condition(status, "Established"))
        ? Verdict.isReady()
        : Verdict.notReady("not established");
  }

  private static Verdict generic(JsonNode status) {
    if (isTrue(condition(status, "Stalled"))) {
      return Verdict.notReady("stalled" + reasonOf(condition(status, "Stalled")));
    }
    JsonNode ready = condition(status, "Ready");
    if (!ready.isMissingNode() && !isTrue(ready)) {
      return Verdict.notReady(
          "Ready is " + ready.path("status").asText("Unknown") + reasonOf(ready));
    }
    if (isTrue(condition(status, "Reconciling"))) {
      return Verdict.notReady("reconciling");
    }
    return Verdict.isReady();
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return condition;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static boolean isTrue(JsonNode condition) {
    return "True".equals(condition.path("status").asText());
  }

  private static String reasonOf(JsonNode condition) {
    String reason = condition.path("reason").asText("");
    return reason.isEmpty() ? "" : " (" + reason + ")";
  }

  private static String plural(int count, String word) {
    return count == 1 ? word : word + "s";
  }
}
