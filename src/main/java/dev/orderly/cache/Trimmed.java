package dev.orderly.cache;

import dev.orderly.api.ConditionTypes;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.OrderedReleaseStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The reduced copies the operator's secondary caches keep. Pure. */
public final class Trimmed {
  /** The labels Helm puts on a release record that the operator reads. */
  static final List<String> RECORD_LABELS = List.of("owner", "name", "status", "version");

  private Trimmed() {}

  /**
   * A Helm release record Secret without its payload or managedFields: name, namespace, uid,
   * resourceVersion, creationTimestamp and the labels owner, name, status and version. About a
   * kilobyte whatever the size of the release, enough to tell the latest revision and its status;
   * planning reads the payload from the API server.
   */
  public static Secret releaseRecord(Secret secret) {
    ObjectMeta source = secret.getMetadata();
    ObjectMeta metadata = identity(source);
    metadata.setCreationTimestamp(source.getCreationTimestamp());
    metadata.setDeletionTimestamp(source.getDeletionTimestamp());
    Map<String, String> labels = new HashMap<>();
    if (source.getLabels() != null) {
      for (String label : RECORD_LABELS) {
        String value = source.getLabels().get(label);
        if (value != null) {
          labels.put(label, value);
        }
      }
    }
    metadata.setLabels(labels);
    Secret trimmed = new Secret();
    trimmed.setMetadata(metadata);
    trimmed.setType(secret.getType());
    return trimmed;
  }

  /**
   * An OrderedRelease as the dependency graph and its wake-ups read it: name, namespace, uid,
   * resourceVersion, generation and deletionTimestamp; spec.dependsOn, releaseName and
   * targetNamespace; and its Ready condition. Values, chart and options are left out.
   */
  public static OrderedRelease dependencyNode(OrderedRelease release) {
    ObjectMeta source = release.getMetadata();
    ObjectMeta metadata = identity(source);
    metadata.setGeneration(source.getGeneration());
    metadata.setDeletionTimestamp(source.getDeletionTimestamp());
    OrderedRelease trimmed = new OrderedRelease();
    trimmed.setMetadata(metadata);
    if (release.getSpec() != null) {
      OrderedReleaseSpec spec = new OrderedReleaseSpec();
      spec.setDependsOn(release.getSpec().getDependsOn());
      spec.setReleaseName(release.getSpec().getReleaseName());
      spec.setTargetNamespace(release.getSpec().getTargetNamespace());
      trimmed.setSpec(spec);
    }
    if (release.getStatus() != null) {
      OrderedReleaseStatus status = new OrderedReleaseStatus();
      release.getStatus().getConditions().stream()
          .filter(c -> ConditionTypes.READY.equals(c.getType()))
          .forEach(status.getConditions()::add);
      trimmed.setStatus(status);
    }
    return trimmed;
  }

  /**
   * An object of a teardown's or a readiness wait's on-demand informer as the operator reads it:
   * apiVersion, kind; name, namespace, uid, resourceVersion, generation, deletionTimestamp, labels
   * (selectors and the teardown's own label), Helm's annotations (resource-policy), ownerReferences
   * and finalizers; of status only a Job's conditions and a Pod's phase and reason. A Secret's
   * data, a ConfigMap's, a Pod's spec are never kept.
   */
  public static GenericKubernetesResource observedObject(GenericKubernetesResource object) {
    ObjectMeta source = object.getMetadata();
    ObjectMeta metadata = identity(source);
    metadata.setGeneration(source.getGeneration());
    metadata.setDeletionTimestamp(source.getDeletionTimestamp());
    metadata.setLabels(source.getLabels());
    metadata.setOwnerReferences(source.getOwnerReferences());
    metadata.setFinalizers(source.getFinalizers());
    if (source.getAnnotations() != null) {
      Map<String, String> helm = new HashMap<>();
      source
          .getAnnotations()
          .forEach(
              (key, value) -> {
                if (key.startsWith("helm.sh/") || key.startsWith("meta.helm.sh/")) {
                  helm.put(key, value);
                }
              });
      metadata.setAnnotations(helm.isEmpty() ? null : helm);
    }
    GenericKubernetesResource trimmed = new GenericKubernetesResource();
    trimmed.setApiVersion(object.getApiVersion());
    trimmed.setKind(object.getKind());
    trimmed.setMetadata(metadata);
    Object status = object.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> fields) {
      List<String> kept =
          switch (String.valueOf(object.getKind())) {
            case "Job" -> List.of("conditions");
            case "Pod" -> List.of("phase", "reason");
            default -> List.of();
          };
      Map<String, Object> slim = new HashMap<>();
      for (String field : kept) {
        if (fields.get(field) != null) {
          slim.put(field, fields.get(field));
        }
      }
      if (!slim.isEmpty()) {
        trimmed.setAdditionalProperty("status", slim);
      }
    }
    return trimmed;
  }

  private static ObjectMeta identity(ObjectMeta source) {
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(source.getName());
    metadata.setNamespace(source.getNamespace());
    metadata.setUid(source.getUid());
    metadata.setResourceVersion(source.getResourceVersion());
    return metadata;
  }
}
