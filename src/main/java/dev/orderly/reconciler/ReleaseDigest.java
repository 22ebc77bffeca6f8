package dev.orderly.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orderly.api.OrderedRelease;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A digest of everything that decides what Helm deploys: chart source, release identity and the
 * merged values. A change of any of them, including a referenced ConfigMap, means an upgrade.
 */
public final class ReleaseDigest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ReleaseDigest() {}

  /** "sha256:" and the hex digest. */
  public static String of(OrderedRelease resource, JsonNode mergedValues) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("chart", resource.getSpec().getChart());
    inputs.put("release", resource.releaseName());
    inputs.put("namespace", resource.targetNamespace());
    inputs.put("values", JSON.convertValue(mergedValues, Map.class));
    inputs.put("allowInvalidHooks", resource.getSpec().getInstall().isAllowInvalidHooks());
    if (resource.getSpec().isAdoptRelease()) {
      // Only when set, so existing objects keep their digest (and are not upgraded for nothing),
      // while setting it on a refused release (ForeignRelease) is acted on at once.
      inputs.put("adoptRelease", true);
    }
    try {
      byte[] canonical = JSON.writeValueAsString(inputs).getBytes(StandardCharsets.UTF_8);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
