package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.api.ValuesReference.Kind;
import dev.orderly.helm.HelmFailure;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesResolverTest {
  private final Map<String, ConfigMap> configMaps = new HashMap<>();
  private final Map<String, Secret> secrets = new HashMap<>();
  private final ValuesResolver resolver =
      new ValuesResolver(
          new ValuesResolver.ObjectLookup() {
            @Override
            public Optional<ConfigMap> configMap(String namespace, String name) {
              return Optional.ofNullable(configMaps.get(namespace + "/" + name));
            }

            @Override
            public Optional<Secret> secret(String namespace, String name) {
              return Optional.ofNullable(secrets.get(namespace + "/" + name));
            }
          });

  @Test
  void mergesReferencesInOrderThenSpecValuesDeeply() throws Exception {
    configMaps.put(
        "apps/base", configMap("base", "values.yaml", "image: {tag: '1', repo: r}\nreplicas: 1\n"));
    secrets.put("apps/creds", secret("creds", "v", "image: {tag: '2'}\ntoken: s3cret\n"));
    OrderedRelease resource = SpecValidatorTest.valid();
    resource
        .getSpec()
        .setValuesFrom(
            List.of(
                new ValuesReference(Kind.ConfigMap, "base", null),
                new ValuesReference(Kind.Secret, "creds", "v")));
    resource.getSpec().setValues(new ObjectMapper().readTree("{\"replicas\": 3}"));

    assertThat(resolver.resolve(resource).toString())
        .isEqualTo(
            "{\"image\":{\"tag\":\"2\",\"repo\":\"r\"},\"replicas\":3,\"token\":\"s3cret\"}");
  }

  @Test
  void aMissingObjectOrKeyIsNamed() {
    OrderedRelease resource = SpecValidatorTest.valid();
    resource.getSpec().setValuesFrom(List.of(new ValuesReference(Kind.ConfigMap, "absent", null)));
    assertThatThrownBy(() -> resolver.resolve(resource))
        .isInstanceOf(HelmFailure.class)
        .hasMessage("valuesFrom: ConfigMap apps/absent does not exist")
        .satisfies(e -> assertThat(((HelmFailure) e).reason()).isEqualTo("ValuesNotFound"));

    configMaps.put("apps/absent", configMap("absent", "other.yaml", "a: 1"));
    assertThatThrownBy(() -> resolver.resolve(resource))
        .hasMessage("valuesFrom: ConfigMap apps/absent has no key values.yaml");
  }

  @Test
  void optionalReferencesMaySafelyBeMissing() {
    OrderedRelease resource = SpecValidatorTest.valid();
    ValuesReference ref = new ValuesReference(Kind.Secret, "maybe", null);
    ref.setOptional(true);
    resource.getSpec().setValuesFrom(List.of(ref));
    assertThat(resolver.resolve(resource).isEmpty()).isTrue();
  }

  @Test
  void aKeyThatIsNotAMapIsRejected() {
    configMaps.put("apps/list", configMap("list", "values.yaml", "- a\n- b\n"));
    OrderedRelease resource = SpecValidatorTest.valid();
    resource.getSpec().setValuesFrom(List.of(new ValuesReference(Kind.ConfigMap, "list", null)));
    assertThatThrownBy(() -> resolver.resolve(resource))
        .hasMessageContaining("holds a YAML array; it must hold a YAML map of values");
  }

  private static ConfigMap configMap(String name, String key, String yaml) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apps")
        .endMetadata()
        .withData(Map.of(key, yaml))
        .build();
  }

  private static Secret secret(String name, String key, String yaml) {
    String encoded = Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("apps")
        .endMetadata()
        .withData(Map.of(key, encoded))
        .build();
  }
}
