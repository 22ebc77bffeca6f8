package dev.orderly.testsupport;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Decodes a Secret sent as Kubernetes protobuf into JSON. client-go 0.35 clientsets (Helm's release
 * storage) write built-in kinds as protobuf; Secrets are the only kind Helm writes that way, so
 * only they (and the ObjectMeta fields Helm sets) are understood.
 */
final class ProtobufSecrets {

  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufSecrets() {}

  /** The Secret in {@code body} as JSON, or empty when the body is no protobuf v1 Secret. */
  static Optional<String> toJson(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, 4)) {
      return Optional.empty();
    }
    // runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw.
    Wire unknown = new Wire(body, MAGIC.length, body.length);
    String apiVersion = "";
    String kind = "";
    Wire raw = null;
    while (unknown.hasMore()) {
      int field = unknown.field();
      if (field == 1) {
        Wire typeMeta = unknown.message();
        while (typeMeta.hasMore()) {
          int typeField = typeMeta.field();
          if (typeField == 1) {
            apiVersion = typeMeta.string();
          } else if (typeField == 2) {
            kind = typeMeta.string();
          } else {
            typeMeta.skip();
          }
        }
      } else if (field == 2) {
        raw = unknown.message();
      } else {
        unknown.skip();
      }
    }
    if (raw == null || !apiVersion.equals("v1") || !kind.equals("Secret")) {
      return Optional.empty();
    }
    return Optional.of(Serialization.asJson(secret(raw)));
  }

  // k8s.io.api.core.v1.Secret: 1 metadata, 2 data, 3 type, 4 stringData, 5 immutable.
  private static Secret secret(Wire wire) {
    Secret secret = new Secret();
    secret.setApiVersion("v1");
    secret.setKind("Secret");
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> stringData = new LinkedHashMap<>();
    while (wire.hasMore()) {
      switch (wire.field()) {
        case 1 -> secret.setMetadata(metadata(wire.message()));
        case 2 ->
            wire.entry((key, value) -> data.put(key, Base64.getEncoder().encodeToString(value)));
        case 3 -> secret.setType(wire.string());
        case 4 -> wire.entry((key, value) -> stringData.put(key, utf8(value)));
        case 5 -> secret.setImmutable(wire.varint() != 0);
        default -> wire.skip();
      }
    }
    secret.setData(data.isEmpty() ? null : data);
    secret.setStringData(stringData.isEmpty() ? null : stringData);
    return secret;
  }

  // ObjectMeta: 1 name, 2 generateName, 3 namespace, 5 uid, 6 resourceVersion, 7 generation,
  // 8 creationTimestamp, 11 labels, 12 annotations, 14 finalizers; others are dropped.
  private static ObjectMeta metadata(Wire wire) {
    ObjectMeta meta = new ObjectMeta();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    List<String> finalizers = new ArrayList<>();
    while (wire.hasMore()) {
      switch (wire.field()) {
        case 1 -> meta.setName(wire.string());
        case 2 -> meta.setGenerateName(wire.string());
        case 3 -> meta.setNamespace(wire.string());
        case 5 -> meta.setUid(wire.string());
        case 6 -> meta.setResourceVersion(wire.string());
        case 7 -> meta.setGeneration(wire.varint());
        case 8 -> meta.setCreationTimestamp(timestamp(wire.message()));
        case 11 -> wire.entry((key, value) -> labels.put(key, utf8(value)));
        case 12 -> wire.entry((key, value) -> annotations.put(key, utf8(value)));
        case 14 -> finalizers.add(wire.string());
        default -> wire.skip();
      }
    }
    meta.setLabels(labels.isEmpty() ? null : labels);
    meta.setAnnotations(annotations.isEmpty() ? null : annotations);
    meta.setFinalizers(finalizers.isEmpty() ? null : finalizers);
    return meta;
  }

  // metav1.Time: 1 seconds, 2 nanos.
  private static String timestamp(Wire wire) {
    long seconds = 0;
    while (wire.hasMore()) {
      if (wire.field() == 1) {
        seconds = wire.varint();
      } else {
        wire.skip();
      }
    }
    return Instant.ofEpochSecond(seconds).toString();
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A cursor over protobuf wire format between two offsets. */
  private static final class Wire {
    private final byte[] bytes;
    private final int end;
    private int position;
    private int wireType;

    Wire(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    int field() {
      long key = varint();
      wireType = (int) (key & 7);
      return (int) (key >>> 3);
    }

    long varint() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }

    Wire message() {
      int length = (int) varint();
      Wire inner = new Wire(bytes, position, position + length);
      position += length;
      return inner;
    }

    byte[] raw() {
      Wire inner = message();
      return Arrays.copyOfRange(bytes, inner.position, inner.end);
    }

    String string() {
      return utf8(raw());
    }

    /** Reads a map entry (1 key, 2 value) and hands it on. */
    void entry(BiConsumer<String, byte[]> sink) {
      Wire entry = message();
      String key = "";
      byte[] value = new byte[0];
      while (entry.hasMore()) {
        int field = entry.field();
        if (field == 1) {
          key = entry.string();
        } else if (field == 2) {
          value = entry.raw();
        } else {
          entry.skip();
        }
      }
      sink.accept(key, value);
    }

    void skip() {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> message();
        case 5 -> position += 4;
        default -> throw new IllegalStateException("unsupported protobuf wire type " + wireType);
      }
    }
  }
}
