package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseSecretsTest {
  @ParameterizedTest
  @CsvSource({
    "sample, 1, sh.helm.release.v1.sample.v1",
    "my.app, 12, sh.helm.release.v1.my.app.v12",
  })
  void namesSecretsAsHelmDoes(String release, int revision, String expected) {
    assertThat(ReleaseSecrets.secretName(release, revision)).isEqualTo(expected);
  }

  @Test
  void fixtureSecretIsNamedAsHelmNamesIt() {
    assertThat(ReleaseFixtures.releaseSecret().getMetadata().getName())
        .isEqualTo(ReleaseSecrets.secretName("sample", 1));
    assertThat(ReleaseSecrets.revisionOf(ReleaseFixtures.releaseSecret())).hasValue(1);
  }

  static Stream<Arguments> latestCases() {
    return Stream.of(
        // release, secrets as "secretName|versionLabel|nameLabel" ('-' = absent), expected
        Arguments.of(
            "app",
            List.of("sh.helm.release.v1.app.v1|1|app", "sh.helm.release.v1.app.v2|2|app"),
            "sh.helm.release.v1.app.v2"),
        Arguments.of(
            "app",
            List.of("sh.helm.release.v1.app.v9|9|app", "sh.helm.release.v1.app.v10|10|app"),
            "sh.helm.release.v1.app.v10"), // numeric, not lexical
        Arguments.of(
            "app",
            List.of("sh.helm.release.v1.app.v3|3|app", "sh.helm.release.v1.other.v7|7|other"),
            "sh.helm.release.v1.app.v3"), // another release is ignored
        Arguments.of(
            "app",
            List.of("sh.helm.release.v1.app.v4|-|-", "sh.helm.release.v1.app.v5|-|-"),
            "sh.helm.release.v1.app.v5"), // no labels: the name decides
        Arguments.of(
            "app",
            List.of("sh.helm.release.v1.app.v2|-|-", "sh.helm.release.v1.app.v2.v9|-|-"),
            "sh.helm.release.v1.app.v2"), // release "app.v2" is not release "app"
        Arguments.of(
            "my.app",
            List.of("sh.helm.release.v1.my.app.v1|1|my.app", "x|junk|my.app"),
            "sh.helm.release.v1.my.app.v1"), // unreadable revision is ignored
        Arguments.of("app", List.of(), null));
  }

  @ParameterizedTest
  @MethodSource("latestCases")
  void picksTheHighestRevisionOfTheRelease(String release, List<String> specs, String expected) {
    List<Secret> secrets = specs.stream().map(ReleaseSecretsTest::secret).toList();

    assertThat(ReleaseSecrets.latest(release, secrets).map(s -> s.getMetadata().getName()))
        .isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void revisionOfIsEmptyWithoutMetadata() {
    assertThat(ReleaseSecrets.revisionOf(new Secret())).isEqualTo(OptionalInt.empty());
  }

  @Test
  void selectorMatchesHelmsLabels() {
    assertThat(ReleaseSecrets.selector("sample")).isEqualTo("owner=helm,name=sample");
  }

  private static Secret secret(String spec) {
    List<String> parts = Arrays.asList(spec.split("\\|"));
    Map<String, String> labels = new HashMap<>();
    if (!parts.get(1).equals("-")) {
      labels.put("version", parts.get(1));
    }
    if (!parts.get(2).equals("-")) {
      labels.put("name", parts.get(2));
    }
    return new SecretBuilder()
        .withNewMetadata()
        .withName(parts.get(0))
        .withNamespace("ns")
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}
