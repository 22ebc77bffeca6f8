package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes versions are written as Kubernetes writes them, and nonsense is refused. */
class KubeCapabilitiesTest {

  @ParameterizedTest
  @CsvSource({
    "1.30, v1.30.0",
    "v1.30, v1.30.0",
    "1.30.2, v1.30.2",
    "v1.34.0, v1.34.0",
    "v1.30.4-eks-a737599, v1.30.4-eks-a737599",
    "v1.31.0+k3s1, v1.31.0+k3s1"
  })
  void versionsAreNormalised(String given, String written) {
    assertThat(KubeCapabilities.offline(given, List.of()).kubeVersion()).isEqualTo(written);
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "1", "v1.x", "1.30.0 ", ""})
  void whatIsNoVersionIsRefused(String given) {
    assertThatThrownBy(() -> KubeCapabilities.offline(given, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a Kubernetes version such as v1.34.0");
  }
}
