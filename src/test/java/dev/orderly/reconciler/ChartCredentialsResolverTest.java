package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.SecretReference;
import dev.orderly.api.ValuesReference;
import dev.orderly.helm.HelmFailure;
import dev.orderly.helm.RegistryCredentials;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChartCredentialsResolverTest {
  private final Map<String, Secret> secrets = new HashMap<>();
  private final ChartCredentialsResolver resolver =
      new ChartCredentialsResolver(
          new ValuesResolver.ObjectLookup() {
            @Override
            public Optional<ConfigMap> configMap(String namespace, String name) {
              return Optional.empty();
            }

            @Override
            public Optional<Secret> secret(String namespace, String name) {
              return Optional.ofNullable(secrets.get(namespace + "/" + name));
            }
          });

  @Test
  void noSecretRefNoCredentials() {
    assertThat(resolver.resolve(release("oci://reg.io:5000/charts", null))).isEmpty();
  }

  @Test
  void aDockerConfigSecretGivesTheEntryOfTheRegistryHost() {
    String auth = base64("robot:pw");
    secrets.put(
        "apps/pull",
        secret(
            "pull",
            "kubernetes.io/dockerconfigjson",
            Map.of(
                ".dockerconfigjson", "{\"auths\":{\"reg.io:5000\":{\"auth\":\"" + auth + "\"}}}")));
    RegistryCredentials credentials =
        resolver.resolve(release("oci://reg.io:5000/charts", "pull")).orElseThrow();
    assertThat(credentials.username()).isEqualTo("robot");
    assertThat(credentials.password()).isEqualTo("pw");
    assertThat(credentials.origin()).isEqualTo("Secret apps/pull");

    expectMissing(
        release("oci://other.io/charts", "pull"),
        "chart.secretRef: the .dockerconfigjson of Secret apps/pull has no entry for other.io");
  }

  @Test
  void aBasicAuthSecretServesHttpRepositoriesToo() {
    secrets.put(
        "apps/basic",
        secret("basic", "kubernetes.io/basic-auth", Map.of("username", "u", "password", "p")));
    assertThat(resolver.resolve(release("https://charts.example.com", "basic")))
        .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("u"));
  }

  @Test
  void namesWhatIsMissing() {
    expectMissing(
        release("oci://reg.io/charts", "absent"),
        "chart.secretRef: Secret apps/absent does not exist");
    secrets.put("apps/half", secret("half", "Opaque", Map.of("username", "u")));
    expectMissing(
        release("oci://reg.io/charts", "half"),
        "chart.secretRef: Secret apps/half needs keys username and password, or type"
            + " kubernetes.io/dockerconfigjson");
    secrets.put(
        "apps/broken",
        secret("broken", "kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson", "{")));
    expectMissing(
        release("oci://reg.io/charts", "broken"),
        "chart.secretRef: the .dockerconfigjson of Secret apps/broken is not valid JSON");
  }

  @Test
  void theSecretWakesTheReleaseThatNamesIt() {
    OrderedRelease release = release("oci://reg.io/charts", "pull");
    release
        .getSpec()
        .setValuesFrom(List.of(new ValuesReference(ValuesReference.Kind.ConfigMap, "v", null)));
    assertThat(ReleaseEventSources.referencedKeys(release))
        .containsExactly("ConfigMap/apps/v", "Secret/apps/pull");
  }

  private void expectMissing(OrderedRelease release, String message) {
    assertThatThrownBy(() -> resolver.resolve(release))
        .isInstanceOfSatisfying(
            HelmFailure.class,
            f -> {
              assertThat(f.reason()).isEqualTo("CredentialsNotFound");
              assertThat(f.stalled()).isTrue();
              assertThat(f.getMessage()).isEqualTo(message);
            });
  }

  private static OrderedRelease release(String repository, String secret) {
    OrderedRelease resource = SpecValidatorTest.valid();
    ChartSource chart = ChartSource.fromRepository(repository, "agent", "1.0.0");
    chart.setSecretRef(secret == null ? null : new SecretReference(secret));
    resource.getSpec().setChart(chart);
    return resource;
  }

  private static Secret secret(String name, String type, Map<String, String> data) {
    Map<String, String> encoded = new HashMap<>();
    data.forEach((k, v) -> encoded.put(k, base64(v)));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apps")
        .endMetadata()
        .withType(type)
        .withData(encoded)
        .build();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
