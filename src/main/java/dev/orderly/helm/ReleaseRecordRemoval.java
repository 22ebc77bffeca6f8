package dev.orderly.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What removing Helm's record of a release changes, worked out from its Secrets without Helm: which
 * Secrets to delete, or, when history is kept, which to rewrite and how. Follows Helm 3.21's {@code
 * Uninstall.Run} (pkg/action/uninstall.go) for the record alone: {@code helm uninstall} would also
 * delete every object in the manifest, CustomResourceDefinitions rendered from templates/ included,
 * which the teardown decides about itself. Pure: the caller sends the requests.
 */
public final class ReleaseRecordRemoval {
  /** Helm's status of an uninstalled release kept in history (release.StatusUninstalled). */
  public static final String UNINSTALLED = "uninstalled";

  /** What Helm writes into an uninstalled release's info.description. */
  public static final String DESCRIPTION = "Uninstallation complete";

  private static final String DEPLOYED = "deployed";
  private static final String SUPERSEDED = "superseded";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReleaseRecordRemoval() {}

  /** The Secrets to delete to remove the record: every revision of {@code release}. */
  public static List<Secret> toDelete(String release, Collection<Secret> secrets) {
    return ReleaseSecrets.revisions(release, secrets);
  }

  /**
   * The Secrets to write back to keep the history as {@code helm uninstall --keep-history} leaves
   * it: the latest revision marked uninstalled (status, info.deleted, info.description), then every
   * other revision still marked deployed marked superseded. Empty when there is no record or the
   * latest revision is already uninstalled. Each Secret keeps its resourceVersion, so a concurrent
   * change by Helm makes the write fail rather than be lost.
   */
  public static List<Secret> toMarkUninstalled(
      String release, Collection<Secret> secrets, Instant now) {
    List<Secret> revisions = ReleaseSecrets.revisions(release, secrets);
    if (revisions.isEmpty()) {
      return List.of();
    }
    Secret latest = revisions.get(revisions.size() - 1);
    ObjectNode json = (ObjectNode) ReleaseRecordCodec.releaseJson(latest).deepCopy();
    ObjectNode info = json.withObjectProperty("info");
    if (UNINSTALLED.equals(info.path("status").asText())) {
      return List.of();
    }
    info.put("status", UNINSTALLED);
    info.put("deleted", now.toString());
    info.put("description", DESCRIPTION);
    List<Secret> changed = new ArrayList<>();
    changed.add(rewrite(latest, json, UNINSTALLED, now));
    for (Secret earlier : revisions.subList(0, revisions.size() - 1)) {
      ObjectNode old = readable(earlier);
      if (old != null && DEPLOYED.equals(old.path("info").path("status").asText())) {
        old.withObjectProperty("info").put("status", SUPERSEDED);
        changed.add(rewrite(earlier, old, SUPERSEDED, now));
      }
    }
    return changed;
  }

  /**
   * An earlier revision's JSON, or null when it cannot be read: Helm would fail on it too, but an
   * old revision left as it is does not stop the latest from being marked.
   */
  private static ObjectNode readable(Secret earlier) {
    try {
      return (ObjectNode) ReleaseRecordCodec.releaseJson(earlier).deepCopy();
    } catch (MalformedReleaseException | ClassCastException e) {
      return null;
    }
  }

  /** {@code secret} holding {@code release}, labelled as Helm's Secret driver labels an update. */
  private static Secret rewrite(Secret secret, ObjectNode release, String status, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (secret.getMetadata().getLabels() != null) {
      labels.putAll(secret.getMetadata().getLabels());
    }
    labels.put("status", status);
    labels.put("modifiedAt", Long.toString(now.getEpochSecond()));
    String payload = ReleaseRecordCodec.encodePayload(bytes(release));
    return new SecretBuilder(secret)
        .editMetadata()
        .withLabels(labels)
        .endMetadata()
        .withData(
            Map.of(
                ReleaseRecordCodec.DATA_KEY,
                Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  private static byte[] bytes(ObjectNode release) {
    try {
      return JSON.writeValueAsBytes(release);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the release JSON", e);
    }
  }
}
