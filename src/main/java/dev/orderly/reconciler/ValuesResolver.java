package dev.orderly.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orderly.api.ConditionTypes.Reasons;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ValuesReference;
import dev.orderly.helm.HelmFailure;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Builds the release's values from its valuesFrom references and spec.values, in that order. */
public class ValuesResolver {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Reads ConfigMaps and Secrets, typically from an informer cache. */
  public interface ObjectLookup {
    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);
  }

  private final ObjectLookup lookup;

  public ValuesResolver(ObjectLookup lookup) {
    this.lookup = lookup;
  }

  /**
   * The merged values.
   *
   * @throws HelmFailure with reason ValuesNotFound naming the missing object or key, or a key whose
   *     YAML is not a map
   */
  public ObjectNode resolve(OrderedRelease resource) {
    String namespace = resource.getMetadata().getNamespace();
    List<JsonNode> layers = new ArrayList<>();
    for (ValuesReference ref : resource.getSpec().getValuesFrom()) {
      readReference(namespace, ref).ifPresent(layers::add);
    }
    layers.add(resource.getSpec().getValues());
    return ValuesMerger.merge(layers);
  }

  private Optional<JsonNode> readReference(String namespace, ValuesReference ref) {
    Optional<? extends HasMetadata> object =
        switch (ref.getKind()) {
          case ConfigMap -> lookup.configMap(namespace, ref.getName());
          case Secret -> lookup.secret(namespace, ref.getName());
        };
    String where = ref.getKind() + " " + namespace + "/" + ref.getName();
    if (object.isEmpty()) {
      return missing(ref, where + " does not exist");
    }
    String text =
        object.get() instanceof ConfigMap configMap
            ? configMapKey(configMap, ref)
            : secretKey((Secret) object.get(), ref);
    if (text == null) {
      return missing(ref, where + " has no key " + ref.getKey());
    }
    try {
      JsonNode values = YAML.readTree(text);
      if (values == null || values.isMissingNode() || values.isNull()) {
        return Optional.empty();
      }
      if (!values.isObject()) {
        throw invalid(ref, namespace, "holds a YAML " + values.getNodeType().name().toLowerCase());
      }
      return Optional.of(values);
    } catch (IOException e) {
      throw invalid(
          ref, namespace, "is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static String configMapKey(ConfigMap configMap, ValuesReference ref) {
    return configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
  }

  private static String secretKey(Secret secret, ValuesReference ref) {
    if (secret.getData() != null && secret.getData().containsKey(ref.getKey())) {
      byte[] decoded = Base64.getDecoder().decode(secret.getData().get(ref.getKey()));
      return new String(decoded, StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(ref.getKey());
  }

  private static Optional<JsonNode> missing(ValuesReference ref, String message) {
    if (ref.isOptional()) {
      return Optional.empty();
    }
    throw new HelmFailure(Reasons.VALUES_NOT_FOUND, "valuesFrom: " + message, true);
  }

  private static HelmFailure invalid(ValuesReference ref, String namespace, String problem) {
    return new HelmFailure(
        Reasons.VALUES_NOT_FOUND,
        "valuesFrom: key "
            + ref.getKey()
            + " of "
            + ref.getKind()
            + " "
            + namespace
            + "/"
            + ref.getName()
            + " "
            + problem
            + "; it must hold a YAML map of values",
        true);
  }
}
