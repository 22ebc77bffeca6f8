package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseRecordCodecTest {
  private static final String FIXTURE_NAME = "samples/sh.helm.release.v1.sample.v1";

  @Test
  void decodesTheRealHelmSecret() {
    HelmReleaseRecord record = ReleaseFixtures.sampleRelease();

    assertThat(record.name()).isEqualTo("sample");
    assertThat(record.namespace()).isEqualTo("samples");
    assertThat(record.version()).isEqualTo(1);
    assertThat(record.status()).isEqualTo("deployed");
    assertThat(record.chartName()).isEqualTo("hooks-sample");
    assertThat(record.chartVersion()).isEqualTo("1.2.3");
    assertThat(record.hooks()).hasSize(3);
  }

  static Stream<Arguments> fixtureHooks() {
    return Stream.of(
        // name, kind, weight, stored policies, effective policies, events
        Arguments.of(
            "sample-hook",
            "ServiceAccount",
            -2,
            List.of(),
            List.of("before-hook-creation"),
            List.of("pre-delete")),
        Arguments.of(
            "sample-pre-delete",
            "Job",
            -1,
            List.of("hook-succeeded"),
            List.of("hook-succeeded"),
            List.of("pre-delete")),
        Arguments.of(
            "sample-post-delete-marker",
            "ConfigMap",
            0,
            List.of("before-hook-creation"),
            List.of("before-hook-creation"),
            List.of("post-install", "post-delete")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtureHooks")
  void decodesEachHookOfTheFixture(
      String name,
      String kind,
      long weight,
      List<String> stored,
      List<String> effective,
      List<String> events) {
    HelmHook hook =
        ReleaseFixtures.sampleRelease().hooks().stream()
            .filter(h -> h.name().equals(name))
            .findFirst()
            .orElseThrow();

    assertThat(hook.kind()).isEqualTo(kind);
    assertThat(hook.weight()).isEqualTo(weight);
    assertThat(hook.deletePolicies()).isEqualTo(stored);
    assertThat(hook.effectiveDeletePolicies()).isEqualTo(effective);
    assertThat(hook.events()).isEqualTo(events);
    assertThat(hook.path()).isEqualTo("hooks-sample/templates/all.yaml");
    assertThat(hook.manifest()).contains("kind: " + kind).contains("name: " + name);
  }

  @Test
  void fixtureManifestHoldsTheConfigMapAndDaemonSet() {
    assertThat(ReleaseFixtures.sampleRelease().objects())
        .extracting(ReleaseObject::apiVersion, ReleaseObject::kind, ReleaseObject::name)
        .containsExactly(
            tuple("v1", "ConfigMap", "sample-config"), tuple("apps/v1", "DaemonSet", "sample-ds"));
  }

  @Test
  void encodeThenDecodeGivesTheSameRecord() {
    HelmReleaseRecord original = ReleaseFixtures.sampleRelease();

    Secret secret = ReleaseRecordCodec.encode(original);

    assertThat(ReleaseRecordCodec.decode(secret)).isEqualTo(original);
  }

  @Test
  void encodedSecretHasHelmsNameLabelsAndType() {
    Secret secret = ReleaseRecordCodec.encode(ReleaseFixtures.sampleRelease());
    Secret real = ReleaseFixtures.releaseSecret();

    assertThat(secret.getType()).isEqualTo("helm.sh/release.v1");
    assertThat(secret.getMetadata().getName()).isEqualTo(real.getMetadata().getName());
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("samples");
    // Helm also stamps modifiedAt with the wall clock; the codec is pure and leaves it out.
    assertThat(secret.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("name", "sample", "owner", "helm", "status", "deployed", "version", "1"));
  }

  @Test
  void encodedJsonOmitsZeroWeightAndEmptyPoliciesExactlyAsHelmDid() throws IOException {
    JsonNode helms = payloadJson(ReleaseFixtures.releaseSecret());
    JsonNode ours = payloadJson(ReleaseRecordCodec.encode(ReleaseFixtures.sampleRelease()));

    for (int i = 0; i < helms.path("hooks").size(); i++) {
      JsonNode expected = helms.path("hooks").get(i);
      JsonNode actual = ours.path("hooks").get(i);
      for (String field : List.of("name", "kind", "path", "manifest", "events", "weight")) {
        assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
      }
      assertThat(actual.get("delete_policies")).isEqualTo(expected.get("delete_policies"));
    }
  }

  @Test
  void decodesPayloadStringAndBytes() {
    String payload = innerPayload(ReleaseFixtures.releaseSecret());

    assertThat(ReleaseRecordCodec.decode(payload)).isEqualTo(ReleaseFixtures.sampleRelease());
    assertThat(ReleaseRecordCodec.decode(payload.getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(ReleaseFixtures.sampleRelease());
  }

  @Test
  void acceptsUncompressedJsonAsHelmDoesForOldRecords() {
    String json =
        "{\"name\":\"old\",\"namespace\":\"ns\",\"version\":3,\"info\":{\"status\":\"x\"}}";
    String payload = base64(json.getBytes(StandardCharsets.UTF_8));

    assertThat(ReleaseRecordCodec.decode(payload).version()).isEqualTo(3);
  }

  @ParameterizedTest(name = "weight {0}")
  @org.junit.jupiter.params.provider.ValueSource(
      longs = {3_000_000_000L, -3_000_000_000L, 2_147_483_648L, Long.MAX_VALUE, Long.MIN_VALUE, 1})
  void hookWeightsAre64Bit(long weight) {
    String json =
        "{\"name\":\"a\",\"version\":1,\"hooks\":[{\"name\":\"h\",\"kind\":\"Job\","
            + "\"events\":[\"pre-delete\"],\"weight\":"
            + weight
            + "}]}";

    HelmReleaseRecord record =
        ReleaseRecordCodec.decode(ReleaseRecordCodec.encodePayload(json.getBytes()));

    assertThat(record.hooks()).singleElement().extracting(HelmHook::weight).isEqualTo(weight);
    assertThat(ReleaseRecordCodec.toJson(record).path("hooks").get(0).path("weight").asLong())
        .as("written back unchanged")
        .isEqualTo(weight);
  }

  @Test
  void namespaceFallsBackToTheSecretsNamespace() {
    String json = "{\"name\":\"a\",\"version\":2,\"info\":{\"status\":\"deployed\"}}";
    Secret secret = withPayload(ReleaseRecordCodec.encodePayload(json.getBytes()));

    assertThat(ReleaseRecordCodec.decode(secret).namespace()).isEqualTo("samples");
  }

  static Stream<Arguments> malformedLayers() {
    return Stream.of(
        Arguments.of(
            "no data",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).withData(null).build(),
            "has no data.release"),
        Arguments.of(
            "wrong type",
            (UnaryOperator<Secret>) s -> new SecretBuilder(s).withType("Opaque").build(),
            "has type Opaque, not helm.sh/release.v1"),
        Arguments.of(
            "outer layer not base64",
            (UnaryOperator<Secret>)
                s -> new SecretBuilder(s).withData(Map.of("release", "%%%")).build(),
            "data.release (the Secret's own base64 layer) is not base64"),
        Arguments.of(
            "inner layer not base64",
            (UnaryOperator<Secret>) s -> withPayload("not*base64!"),
            "the payload (Helm's base64 layer) is not base64"),
        Arguments.of(
            "gzip corrupt",
            (UnaryOperator<Secret>)
                s -> withPayload(base64(new byte[] {0x1f, (byte) 0x8b, 0x08, 1, 2, 3, 4, 5})),
            "the gzip layer is corrupt"),
        Arguments.of(
            "JSON does not parse",
            (UnaryOperator<Secret>)
                s -> withPayload(ReleaseRecordCodec.encodePayload("{not json".getBytes())),
            "the release JSON does not parse"),
        Arguments.of(
            "JSON has no name",
            (UnaryOperator<Secret>)
                s -> withPayload(ReleaseRecordCodec.encodePayload("{\"version\":1}".getBytes())),
            "the release JSON has no name"),
        Arguments.of(
            "JSON has no version",
            (UnaryOperator<Secret>)
                s -> withPayload(ReleaseRecordCodec.encodePayload("{\"name\":\"a\"}".getBytes())),
            "the release JSON has no numeric version"),
        Arguments.of(
            "JSON is an array",
            (UnaryOperator<Secret>)
                s -> withPayload(ReleaseRecordCodec.encodePayload("[1]".getBytes())),
            "the release JSON is not an object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedLayers")
  void malformedLayersNameTheSecretAndTheLayer(
      String description, UnaryOperator<Secret> breakIt, String expected) {
    Secret broken = breakIt.apply(ReleaseFixtures.releaseSecret());

    assertThatThrownBy(() -> ReleaseRecordCodec.decode(broken))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageContaining(FIXTURE_NAME)
        .hasMessageContaining(expected);
  }

  @Test
  void malformedPayloadWithoutASecretSaysSo() {
    assertThatThrownBy(() -> ReleaseRecordCodec.decode("H4sI-not-base64"))
        .isInstanceOf(MalformedReleaseException.class)
        .hasMessageStartingWith("Helm release payload: the payload (Helm's base64 layer)");
  }

  /** The fixture Secret's metadata with another inner payload. */
  private static Secret withPayload(String payload) {
    return new SecretBuilder(ReleaseFixtures.releaseSecret())
        .withData(Map.of("release", base64(payload.getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  private static String innerPayload(Secret secret) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get("release")), StandardCharsets.US_ASCII);
  }

  private static JsonNode payloadJson(Secret secret) throws IOException {
    byte[] gz = Base64.getDecoder().decode(innerPayload(secret));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new ObjectMapper().readTree(in.readAllBytes());
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
