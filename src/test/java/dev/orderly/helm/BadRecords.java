package dev.orderly.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Release Secrets labelled exactly as Helm labels them but holding what Helm never wrote: a gzip
 * bomb, garbage, a payload cut short. Anyone who may create Secrets in a namespace can make these.
 */
public final class BadRecords {
  private BadRecords() {}

  /**
   * Revision {@code revision} of {@code release} whose gzip layer expands to {@code expandedBytes}
   * of one repeated byte: a few dozen KiB stored, far more unpacked.
   */
  public static Secret gzipBomb(String namespace, String release, int revision, long expanded) {
    return withPayload(namespace, release, revision, gzipOfZeros(expanded));
  }

  /** Revision {@code revision} of {@code release} whose payload is not base64 at all. */
  public static Secret garbage(String namespace, String release, int revision) {
    Secret secret = valid(namespace, release, revision);
    return new SecretBuilder(secret)
        .withData(
            Map.of(
                ReleaseRecordCodec.DATA_KEY,
                base64("this is not Helm's encoding!".getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  /** Revision {@code revision} of {@code release} with its gzip stream cut in half. */
  public static Secret truncated(String namespace, String release, int revision) {
    String payload = ReleaseRecordCodec.encodePayload(json(namespace, release, revision));
    byte[] gzip = Base64.getDecoder().decode(payload);
    byte[] half = Arrays.copyOf(gzip, gzip.length / 2);
    return withPayload(namespace, release, revision, half);
  }

  /**
   * Gzip of {@code size} zero bytes, as concatenated members of 1 MiB each (gzip readers, Go's and
   * Java's, read on across members), which is as small as one member and quick to build.
   */
  public static byte[] gzipOfZeros(long size) {
    int chunk = 1024 * 1024;
    byte[] whole = gzip(new byte[chunk]);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    long left = size;
    for (; left >= chunk; left -= chunk) {
      buffer.writeBytes(whole);
    }
    if (left > 0) {
      buffer.writeBytes(gzip(new byte[(int) left]));
    }
    return buffer.toByteArray();
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /** A Secret labelled as revision {@code revision} of {@code release}, holding {@code inner}. */
  public static Secret withPayload(String namespace, String release, int revision, byte[] inner) {
    Secret secret = valid(namespace, release, revision);
    String payload = base64(inner);
    return new SecretBuilder(secret)
        .withData(
            Map.of(
                ReleaseRecordCodec.DATA_KEY, base64(payload.getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  private static Secret valid(String namespace, String release, int revision) {
    return ReleaseRecordCodec.encode(record(namespace, release, revision));
  }

  private static HelmReleaseRecord record(String namespace, String release, int revision) {
    return new HelmReleaseRecord(
        release, namespace, revision, "deployed", "bad", "1.0.0", "", List.of());
  }

  private static byte[] json(String namespace, String release, int revision) {
    return ReleaseRecordCodec.toJson(record(namespace, release, revision))
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
