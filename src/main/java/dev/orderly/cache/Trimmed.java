package dev.orderly.cache;

import dev.orderly.api.ConditionTypes;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.api.OrderedReleaseStatus;
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

  private static ObjectMeta identity(ObjectMeta source) {
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(source.getName());
    metadata.setNamespace(source.getNamespace());
    metadata.setUid(source.getUid());
    metadata.setResourceVersion(source.getResourceVersion());
    return metadata;
  }
}
