package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciReferenceTest {
  @Test
  void splitsRegistryAndRepository() {
    OciReference reference = OciReference.of("oci://ghcr.io/acme/charts/", "node-agent", false);
    assertThat(reference.registry()).isEqualTo("ghcr.io");
    assertThat(reference.repository()).isEqualTo("acme/charts/node-agent");
    assertThat(reference.endpoint("manifests", "1.0.0"))
        .hasToString("https://ghcr.io/v2/acme/charts/node-agent/manifests/1.0.0");
    assertThat(reference).hasToString("oci://ghcr.io/acme/charts/node-agent");
  }

  @Test
  void aPortAndPlainHttp() {
    OciReference reference = OciReference.of("oci://127.0.0.1:5000", "agent", true);
    assertThat(reference.repository()).isEqualTo("agent");
    assertThat(reference.base()).hasToString("http://127.0.0.1:5000");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "oci://reg.io/a/../b, agent, path part '..'",
    "oci://reg.io/a//b, agent, path part ''",
    "oci://reg.io/A, agent, path part 'A'",
    "oci://reg.io/a?x=1, agent, path part 'a?x=1'",
    "oci://reg.io/charts, ../agent, chart name '../agent'",
    "oci://reg.io/charts, a/b, chart name 'a/b'",
    "oci://user@reg.io/charts, agent, registry host",
    "https://reg.io/charts, agent, not an oci:// URL",
  })
  void refusesWhatCouldEscapeAUrlOrAPath(String repository, String name, String message) {
    assertThatThrownBy(() -> OciReference.of(repository, name, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void tagsAndDigests() {
    assertThat(OciReference.validTag("1.0.0_build.1")).isTrue();
    assertThat(OciReference.validTag("1.0.0+build.1")).isFalse();
    assertThat(OciReference.validTag("../x")).isFalse();
    assertThat(OciReference.validDigest("sha256:" + "a1".repeat(32))).isTrue();
    assertThat(OciReference.validDigest("sha256:../../etc")).isFalse();
    assertThat(OciReference.validDigest("sha512:" + "a1".repeat(64))).isFalse();
  }
}
