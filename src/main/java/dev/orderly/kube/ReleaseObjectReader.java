package dev.orderly.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.helm.ReleaseSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;

/**
 * Reads what readiness is judged on: one revision's Helm record, and each of its objects as it is
 * now. Everything is read from the API server, not an informer cache, so an object Helm has just
 * changed is never judged by its previous, already rolled-out, state. One GET per object; none
 * waits.
 */
public class ReleaseObjectReader {
  private final ClusterObjects objects;
  private final KubernetesSerialization serialization;

  public ReleaseObjectReader(ClusterObjects objects, KubernetesSerialization serialization) {
    this.objects = objects;
    this.serialization = serialization;
  }

  /** The record of {@code release} at {@code revision}, or empty when its Secret is gone. */
  public Optional<HelmReleaseRecord> record(String namespace, String release, int revision) {
    return objects
        .get("v1", "Secret", namespace, ReleaseSecrets.secretName(release, revision))
        .map(found -> serialization.convertValue(found, Secret.class))
        .map(ReleaseRecordCodec::decode);
  }

  /** The object as JSON, or null when it does not exist. */
  public JsonNode live(String apiVersion, String kind, String namespace, String name) {
    return objects
        .get(apiVersion, kind, namespace, name)
        .map(found -> serialization.convertValue(found, JsonNode.class))
        .orElse(null);
  }
}
