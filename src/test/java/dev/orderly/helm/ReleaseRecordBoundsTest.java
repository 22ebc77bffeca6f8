package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the codec does with records no Helm wrote: it stops early and names what is wrong. */
class ReleaseRecordBoundsTest {
  private static final int SECRET_LIMIT = 1024 * 1024;

  @Test
  void aGzipBombSmallEnoughForASecretStopsAtTheLimit() {
    Secret bomb = BadRecords.gzipBomb("tenant", "app", 1, 512L * 1024 * 1024);

    // It fits in one Secret (etcd stores data decoded), as any tenant could store it...
    byte[] stored = Base64.getDecoder().decode(bomb.getData().get(ReleaseRecordCodec.DATA_KEY));
    assertThat(stored.length).isLessThan(SECRET_LIMIT);
    // ...and would expand to 512 MiB, but decoding stops at the limit.
    assertThatThrownBy(() -> ReleaseRecordCodec.decode(bomb))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("tenant/sh.helm.release.v1.app.v1")
        .hasMessageContaining("the gzip layer expands past 32 MiB");
    assertThatThrownBy(() -> ReleaseRecordCodec.releaseJson(bomb))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("expands past 32 MiB");
  }

  @Test
  void justPastTheLimitIsRefusedAndJustBelowIsRead() {
    int limit = ReleaseRecordCodec.MAX_RELEASE_JSON_BYTES;
    assertThatThrownBy(
            () ->
                ReleaseRecordCodec.decode(
                    BadRecords.withPayload("ns", "app", 1, BadRecords.gzipOfZeros(limit + 1L))))
        .hasMessageContaining("expands past 32 MiB");

    // Larger than any record a Secret can hold, still read: the bound is no tighter than needed.
    HelmReleaseRecord big =
        new HelmReleaseRecord(
            "big", "ns", 2, "deployed", "c", "1", bigManifest(24 * 1024 * 1024), List.of());
    assertThat(ReleaseRecordCodec.decode(ReleaseRecordCodec.encode(big)).manifest())
        .hasSameSizeAs(big.manifest());
  }

  @Test
  void theSizeCheckBeforeHelmRefusesOnlyWhatIsTooLarge() {
    assertThatThrownBy(
            () -> ReleaseRecordCodec.checkSize(BadRecords.gzipBomb("ns", "app", 2, 40L << 20)))
        .isInstanceOf(OversizedReleaseException.class)
        .hasMessageContaining("ns/sh.helm.release.v1.app.v2: the gzip layer expands past 32 MiB");

    // Corrupt but small: Helm reads it and says what is wrong in its own words.
    ReleaseRecordCodec.checkSize(BadRecords.truncated("ns", "app", 1));
    ReleaseRecordCodec.checkSize(BadRecords.garbage("ns", "app", 1));
    ReleaseRecordCodec.checkSize(ReleaseFixtures.releaseSecret());
  }

  @Test
  void aTruncatedGzipStreamIsCorrupt() {
    assertThatThrownBy(() -> ReleaseRecordCodec.decode(BadRecords.truncated("ns", "app", 3)))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("ns/sh.helm.release.v1.app.v3")
        .hasMessageContaining("the gzip layer is corrupt");
  }

  @Test
  void garbageIsNotBase64() {
    assertThatThrownBy(() -> ReleaseRecordCodec.decode(BadRecords.garbage("ns", "app", 1)))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("the payload (Helm's base64 layer) is not base64");
  }

  @Test
  void randomBytesAfterTheBase64LayersDoNotParse() {
    byte[] noise = new byte[4096];
    new java.util.Random(11).nextBytes(noise);
    noise[0] = '{'; // not gzip, so read as plain JSON, as Helm reads a record stored uncompressed

    assertThatThrownBy(() -> ReleaseRecordCodec.decode(BadRecords.withPayload("ns", "a", 1, noise)))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("the release JSON does not parse");
  }

  @Test
  void gzipInsideGzipIsUnpackedOnceAsHelmDoes() {
    byte[] twice =
        Base64.getDecoder()
            .decode(ReleaseRecordCodec.encodePayload(BadRecords.gzipOfZeros(64L * 1024 * 1024)));

    assertThatThrownBy(() -> ReleaseRecordCodec.decode(BadRecords.withPayload("ns", "a", 1, twice)))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("the release JSON does not parse");
  }

  @Test
  void anOversizedBase64LayerIsRefusedBeforeDecoding() {
    String huge = "A".repeat(ReleaseRecordCodec.MAX_ENCODED_CHARS + 4);
    Secret outer =
        new SecretBuilder(BadRecords.garbage("ns", "app", 1))
            .withData(Map.of(ReleaseRecordCodec.DATA_KEY, huge))
            .build();
    assertThatThrownBy(() -> ReleaseRecordCodec.decode(outer))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("data.release (the Secret's own base64 layer) holds 4.00 MiB")
        .hasMessageContaining("more than the 4 MiB a Helm record in a Secret can hold");
    // Inside a Secret the outer layer trips first; a payload given alone is bounded all the same.
    assertThatThrownBy(() -> ReleaseRecordCodec.decode(huge))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining("the payload (Helm's base64 layer) holds 4.00 MiB");
  }

  @Test
  void theBoundHoldsForRawPayloadsToo() {
    String payload = Base64.getEncoder().encodeToString(BadRecords.gzipOfZeros(40L * 1024 * 1024));

    assertThatThrownBy(() -> ReleaseRecordCodec.decode(payload))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageStartingWith("Helm release payload: the gzip layer expands past 32 MiB");
  }

  private static String bigManifest(int size) {
    StringBuilder manifest = new StringBuilder(size + 200);
    int i = 0;
    while (manifest.length() < size) {
      manifest
          .append("---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\n")
          .append("metadata:\n  name: cm-")
          .append(i++)
          .append("\ndata:\n  key: value\n");
    }
    return manifest.toString();
  }
}
