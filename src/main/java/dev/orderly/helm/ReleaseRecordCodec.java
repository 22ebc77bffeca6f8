package dev.orderly.helm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes Helm 3's release Secrets ({@code type: helm.sh/release.v1}). {@code
 * data.release} holds base64 (the Secret's own encoding) of base64 of gzip of the release JSON;
 * every failure is a {@link MalformedReleaseException} naming the Secret and the broken layer.
 */
public final class ReleaseRecordCodec {
  public static final String SECRET_TYPE = "helm.sh/release.v1";
  public static final String DATA_KEY = "release";
  public static final String OWNER = "helm";

  // Helm skips gunzip when these bytes are absent, for records stored before it compressed them.
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};

  /**
   * The most release JSON a record may expand to. The API server stores at most 1 MiB per Secret,
   * which leaves under 0.75 MiB of gzip once both base64 layers are off, and Helm's JSON compresses
   * about 5 to 20 times, so a real record stays well below 16 MiB. Gzip expands up to about 1000
   * times, though: a 1 MiB Secret labelled as a Helm record, which any tenant can create in their
   * namespace, would otherwise expand to a gigabyte in the shared operator's heap.
   */
  public static final int MAX_RELEASE_JSON_BYTES = 32 * 1024 * 1024;

  /**
   * The most text {@code data.release} may hold: base64 of a Secret's 1 MiB limit, with room to
   * spare. Base64 only shrinks, but a bigger one did not come from the API server's storage.
   */
  public static final int MAX_ENCODED_CHARS = 4 * 1024 * 1024;

  // Jackson's default cap on one string (20 MB) would refuse a large manifest the gzip bound lets
  // through; one bound for both keeps the limit a single documented number.
  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(MAX_RELEASE_JSON_BYTES)
                          .build())
                  .build())
          .build();

  private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]|^\\s+|\\s+$");

  private ReleaseRecordCodec() {}

  /** Decodes a release Secret; the release namespace falls back to the Secret's. */
  public static HelmReleaseRecord decode(Secret secret) {
    HelmReleaseRecord record = fromJson(releaseJson(secret), ReleaseSecrets.describe(secret));
    if (record.namespace() == null && secret.getMetadata() != null) {
      return withNamespace(record, secret.getMetadata().getNamespace());
    }
    return record;
  }

  /**
   * The whole release JSON a release Secret holds, every field Helm wrote, for rewriting it as Helm
   * would; {@link #decode(Secret)} reads only what a teardown needs.
   */
  public static JsonNode releaseJson(Secret secret) {
    String where = ReleaseSecrets.describe(secret);
    if (secret.getType() != null && !SECRET_TYPE.equals(secret.getType())) {
      throw new MalformedReleaseException(
          where + " has type " + secret.getType() + ", not " + SECRET_TYPE);
    }
    String data = secret.getData() == null ? null : secret.getData().get(DATA_KEY);
    if (data == null || data.isBlank()) {
      throw new MalformedReleaseException(where + " has no data." + DATA_KEY);
    }
    byte[] payload = base64(data, where, "data." + DATA_KEY + " (the Secret's own base64 layer)");
    return json(payload, where);
  }

  /**
   * Checks that {@code secret} unpacks to no more than {@link #MAX_RELEASE_JSON_BYTES}, counting
   * the bytes rather than keeping them; for a Secret Helm is about to read, since Helm unpacks
   * every revision without a bound. Other flaws are left for whoever reads it to report.
   *
   * @throws OversizedReleaseException when it is larger than any record Helm writes
   */
  public static void checkSize(Secret secret) {
    String where = ReleaseSecrets.describe(secret);
    String data = secret.getData() == null ? null : secret.getData().get(DATA_KEY);
    try {
      if (data == null) {
        return;
      }
      byte[] payload = base64(data, where, "data." + DATA_KEY + " (the Secret's own base64 layer)");
      byte[] packed =
          base64(
              new String(payload, StandardCharsets.US_ASCII),
              where,
              "the payload (Helm's base64 layer)");
      if (!startsWith(packed, GZIP_MAGIC)) {
        return;
      }
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
        byte[] buffer = new byte[64 * 1024];
        long expanded = 0;
        for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
          expanded += n;
          if (expanded > MAX_RELEASE_JSON_BYTES) {
            throw tooLarge(where, packed);
          }
        }
      }
    } catch (OversizedReleaseException e) {
      throw e;
    } catch (MalformedReleaseException | IOException e) {
      // Not too large; whatever else is wrong, the reader reports.
    }
  }

  /** Decodes Helm's encoded release (base64 of gzip of JSON), as stored inside the Secret. */
  public static HelmReleaseRecord decode(String payload) {
    return decode(payload.getBytes(StandardCharsets.US_ASCII), "Helm release payload");
  }

  /** Decodes Helm's encoded release (base64 of gzip of JSON), as stored inside the Secret. */
  public static HelmReleaseRecord decode(byte[] payload) {
    return decode(payload, "Helm release payload");
  }

  /** Parses the release JSON itself, with no encoding layers. */
  public static HelmReleaseRecord fromJson(JsonNode release, String where) {
    if (release == null || !release.isObject()) {
      throw new MalformedReleaseException(where + ": the release JSON is not an object");
    }
    String name = text(release, "name");
    if (name == null || name.isBlank()) {
      throw new MalformedReleaseException(where + ": the release JSON has no name");
    }
    if (!release.path("version").canConvertToInt()) {
      throw new MalformedReleaseException(where + ": the release JSON has no numeric version");
    }
    JsonNode chart = release.path("chart").path("metadata");
    List<HelmHook> hooks = new ArrayList<>();
    for (JsonNode hook : release.path("hooks")) {
      hooks.add(
          new HelmHook(
              text(hook, "name"),
              text(hook, "kind"),
              text(hook, "path"),
              text(hook, "manifest"),
              strings(hook.path("events")),
              hook.path("weight").asLong(0), // omitted when 0 (Go's omitempty)
              strings(hook.path("delete_policies"))));
    }
    return new HelmReleaseRecord(
        name,
        text(release, "namespace"),
        release.path("version").asInt(),
        text(release.path("info"), "status"),
        text(chart, "name"),
        text(chart, "version"),
        text(release, "manifest"),
        hooks);
  }

  /** A release Secret in Helm's exact format holding {@code record}; for tests and tooling. */
  public static Secret encode(HelmReleaseRecord record) {
    return encode(toJson(record));
  }

  /**
   * A release Secret in Helm's format holding {@code release} as given, so tests can store shapes a
   * {@link HelmReleaseRecord} cannot express. Name, namespace, version and info.status fill the
   * Secret's name and labels.
   */
  public static Secret encode(JsonNode release) {
    String name = text(release, "name");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a release Secret needs the release JSON's name");
    }
    int version = release.path("version").asInt();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("name", name);
    labels.put("owner", OWNER);
    labels.put("status", text(release.path("info"), "status"));
    labels.put("version", Integer.toString(version));
    String payload = encodePayload(toBytes(release));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ReleaseSecrets.secretName(name, version))
        .withNamespace(text(release, "namespace"))
        .withLabels(labels)
        .endMetadata()
        .withType(SECRET_TYPE)
        .addToData(DATA_KEY, base64(payload.getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  /** Helm's inner encoding of release JSON: base64 of gzip. */
  public static String encodePayload(byte[] json) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
      gzip.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return base64(buffer.toByteArray());
  }

  /** The release JSON Helm would store for {@code record}, with Helm's omit-when-empty rules. */
  public static ObjectNode toJson(HelmReleaseRecord record) {
    ObjectNode release = JSON.createObjectNode();
    release.put("name", record.name());
    release.putObject("info").put("status", record.status());
    ObjectNode metadata = release.putObject("chart").putObject("metadata");
    metadata.put("name", record.chartName());
    metadata.put("version", record.chartVersion());
    release.put("manifest", record.manifest());
    ArrayNode hooks = release.putArray("hooks");
    for (HelmHook hook : record.hooks()) {
      ObjectNode node = hooks.addObject();
      node.put("name", hook.name());
      node.put("kind", hook.kind());
      node.put("path", hook.path());
      node.put("manifest", hook.manifest());
      if (!hook.events().isEmpty()) {
        ArrayNode events = node.putArray("events");
        hook.events().forEach(events::add);
      }
      ObjectNode lastRun = node.putObject("last_run");
      lastRun.put("started_at", "").put("completed_at", "").put("phase", "");
      if (hook.weight() != 0) {
        node.put("weight", hook.weight());
      }
      if (!hook.deletePolicies().isEmpty()) {
        ArrayNode policies = node.putArray("delete_policies");
        hook.deletePolicies().forEach(policies::add);
      }
    }
    release.put("version", record.version());
    release.put("namespace", record.namespace());
    return release;
  }

  private static HelmReleaseRecord decode(byte[] payload, String where) {
    return fromJson(json(payload, where), where);
  }

  private static JsonNode json(byte[] payload, String where) {
    byte[] packed =
        base64(
            new String(payload, StandardCharsets.US_ASCII),
            where,
            "the payload (Helm's base64 layer)");
    byte[] json = startsWith(packed, GZIP_MAGIC) ? gunzip(packed, where) : packed;
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new MalformedReleaseException(
          where + ": the release JSON does not parse: " + e.getMessage(), e);
    }
  }

  private static byte[] base64(String text, String where, String layer) {
    if (text.length() > MAX_ENCODED_CHARS) {
      throw new OversizedReleaseException(
          where
              + ": "
              + layer
              + " holds "
              + mebibytes(text.length())
              + " of text, more than the "
              + mebibytes(MAX_ENCODED_CHARS)
              + " a Helm record in a Secret can hold");
    }
    try {
      // Strict alphabet, but line breaks are tolerated as Go's decoder tolerates them.
      return Base64.getDecoder().decode(LINE_BREAKS.matcher(text).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new MalformedReleaseException(
          where + ": " + layer + " is not base64: " + e.getMessage(), e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Stops at {@link #MAX_RELEASE_JSON_BYTES}, so a gzip bomb costs at most that much heap. */
  private static byte[] gunzip(byte[] packed, String where) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
      byte[] json = in.readNBytes(MAX_RELEASE_JSON_BYTES);
      if (in.read() != -1) {
        throw tooLarge(where, packed);
      }
      return json;
    } catch (IOException e) {
      throw new MalformedReleaseException(
          where + ": the gzip layer is corrupt: " + e.getMessage(), e);
    }
  }

  private static OversizedReleaseException tooLarge(String where, byte[] packed) {
    return new OversizedReleaseException(
        where
            + ": the gzip layer expands past "
            + mebibytes(MAX_RELEASE_JSON_BYTES)
            + " ("
            + mebibytes(packed.length)
            + " compressed); no Helm record is that large, so it is not read");
  }

  private static String mebibytes(long bytes) {
    return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? bytes / (1024 * 1024) + " MiB"
        : String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024.0));
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length <= prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] toBytes(JsonNode release) {
    try {
      return JSON.writeValueAsBytes(release);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("release JSON cannot be written: " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static HelmReleaseRecord withNamespace(HelmReleaseRecord r, String namespace) {
    return new HelmReleaseRecord(
        r.name(),
        namespace,
        r.version(),
        r.status(),
        r.chartName(),
        r.chartVersion(),
        r.manifest(),
        r.hooks());
  }
}
