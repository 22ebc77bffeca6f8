package dev.orderly.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import dev.orderly.helm.JvmSignals;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RBAC the operator's chart grants its ServiceAccount, evaluated as Kubernetes' RBAC authorizer
 * does: every rule of each ClusterRole and Role bound to the ServiceAccount (or to a group it is
 * in), cluster-wide through a ClusterRoleBinding, in one namespace through a RoleBinding.
 */
final class ChartRbac {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * A rule and where it applies.
   *
   * @param namespace null when bound cluster-wide, else the RoleBinding's namespace
   * @param source the role and binding, for messages
   */
  record Grant(String namespace, PolicyRule rule, String source) {
    boolean allows(ApiCall call) {
      if (!matches(rule.getVerbs(), call.verb())) {
        return false;
      }
      if (!call.isResourceRequest()) {
        // A RoleBinding never grants non-resource URLs.
        return namespace == null
            && rule.getNonResourceURLs().stream().anyMatch(url -> urlMatches(url, call));
      }
      return (namespace == null || namespace.equals(call.namespace()))
          && matches(rule.getApiGroups(), call.group())
          && resourceMatches(call)
          && (rule.getResourceNames().isEmpty()
              || (call.name() != null && rule.getResourceNames().contains(call.name())));
    }

    private boolean resourceMatches(ApiCall call) {
      String combined = call.combinedResource();
      return rule.getResources().stream()
          .anyMatch(
              r ->
                  r.equals("*")
                      || r.equals(combined)
                      || (call.subresource() != null && r.equals("*/" + call.subresource())));
    }

    private static boolean urlMatches(String url, ApiCall call) {
      String path = call.nonResourcePath();
      return url.equals("*")
          || url.equals(path)
          || (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1)));
    }

    private static boolean matches(List<String> allowed, String value) {
      return allowed.contains("*") || allowed.contains(value);
    }
  }

  private final String serviceAccount;
  private final String serviceAccountNamespace;
  private final List<Grant> grants;

  private ChartRbac(String serviceAccount, String serviceAccountNamespace, List<Grant> grants) {
    this.serviceAccount = serviceAccount;
    this.serviceAccountNamespace = serviceAccountNamespace;
    this.grants = List.copyOf(grants);
  }

  /**
   * {@code helm template <release> <chart> -n <namespace> --set ...}, then its RBAC.
   *
   * @param values {@code --set} pairs, e.g. {@code "watchNamespaces[0]", "apps"}
   */
  static ChartRbac render(Path chart, String release, String namespace, String... values) {
    String manifest;
    try {
      var template = new Helm(chart).template().withName(release).withNamespace(namespace);
      for (int i = 0; i + 1 < values.length; i += 2) {
        template.set(values[i], values[i + 1]);
      }
      manifest = template.call();
    } finally {
      // Helm's install path, which template runs, takes SIGTERM away from the JVM.
      JvmSignals.reclaim();
    }
    return of(parse(manifest), namespace);
  }

  /** The RBAC in {@code objects}, for the ServiceAccount the operator's Deployment runs as. */
  static ChartRbac of(List<JsonNode> objects, String releaseNamespace) {
    JsonNode deployment =
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("Deployment"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the chart renders no Deployment"));
    String account =
        deployment.path("spec").path("template").path("spec").path("serviceAccountName").asText();
    if (account.isEmpty()) {
      throw new AssertionError("the operator's Deployment names no serviceAccountName");
    }
    String accountNamespace =
        deployment.path("metadata").path("namespace").asText(releaseNamespace);
    Map<String, Class<? extends HasMetadata>> kinds =
        Map.of(
            "ClusterRole", ClusterRole.class,
            "Role", Role.class,
            "ClusterRoleBinding", ClusterRoleBinding.class,
            "RoleBinding", RoleBinding.class);
    List<HasMetadata> rbac =
        objects.stream()
            .filter(o -> o.path("apiVersion").asText().startsWith("rbac.authorization.k8s.io/"))
            .filter(o -> kinds.containsKey(o.path("kind").asText()))
            .<HasMetadata>map(
                o -> Serialization.unmarshal(o.toString(), kinds.get(o.path("kind").asText())))
            .toList();
    for (HasMetadata object : rbac) {
      // Helm and kubectl create a namespaced object without a namespace in the release's.
      boolean namespaced = object instanceof Role || object instanceof RoleBinding;
      if (namespaced && object.getMetadata().getNamespace() == null) {
        object.getMetadata().setNamespace(releaseNamespace);
      }
    }
    Subjects subjects = new Subjects(account, accountNamespace);
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata object : rbac) {
      if (object instanceof ClusterRoleBinding binding
          && subjects.bound(binding.getSubjects(), null)) {
        grants.addAll(
            rules(rbac, binding.getRoleRef(), null, "ClusterRoleBinding " + name(binding)));
      } else if (object instanceof RoleBinding binding) {
        String namespace = binding.getMetadata().getNamespace();
        if (subjects.bound(binding.getSubjects(), namespace)) {
          grants.addAll(
              rules(
                  rbac,
                  binding.getRoleRef(),
                  namespace,
                  "RoleBinding " + namespace + "/" + name(binding)));
        }
      }
    }
    return new ChartRbac(account, accountNamespace, grants);
  }

  /** The ServiceAccount, as {@code namespace/name}. */
  String serviceAccount() {
    return serviceAccountNamespace + "/" + serviceAccount;
  }

  List<Grant> grants() {
    return grants;
  }

  /** The first grant that allows {@code call}, if any does. */
  Optional<Grant> allowing(ApiCall call) {
    return grants.stream().filter(grant -> grant.allows(call)).findFirst();
  }

  /**
   * The resource rules in force in {@code namespace}, as a SelfSubjectRulesReview for that
   * namespace lists them.
   */
  List<ResourceRule> resourceRulesIn(String namespace) {
    return grants.stream()
        .filter(grant -> grant.namespace() == null || grant.namespace().equals(namespace))
        .map(Grant::rule)
        .filter(rule -> !rule.getResources().isEmpty())
        .map(
            rule ->
                new ResourceRuleBuilder()
                    .withApiGroups(rule.getApiGroups())
                    .withResources(rule.getResources())
                    .withResourceNames(rule.getResourceNames())
                    .withVerbs(rule.getVerbs())
                    .build())
        .toList();
  }

  /** Who the ServiceAccount is to RBAC: itself, its user name and its groups. */
  private record Subjects(String account, String namespace) {
    boolean bound(List<Subject> subjects, String bindingNamespace) {
      String user = "system:serviceaccount:" + namespace + ":" + account;
      List<String> groups =
          List.of(
              "system:serviceaccounts",
              "system:serviceaccounts:" + namespace,
              "system:authenticated");
      return subjects.stream()
          .anyMatch(
              subject ->
                  switch (subject.getKind()) {
                    case "ServiceAccount" ->
                        account.equals(subject.getName())
                            && namespace.equals(
                                subject.getNamespace() == null
                                    ? bindingNamespace
                                    : subject.getNamespace());
                    case "User" -> user.equals(subject.getName());
                    case "Group" -> groups.contains(subject.getName());
                    default -> false;
                  });
    }
  }

  private static List<Grant> rules(
      List<HasMetadata> rbac, RoleRef ref, String namespace, String binding) {
    HasMetadata role =
        rbac.stream()
            .filter(o -> o.getKind().equals(ref.getKind()) && name(o).equals(ref.getName()))
            .filter(
                o ->
                    o instanceof ClusterRole
                        || namespace != null && namespace.equals(o.getMetadata().getNamespace()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        binding
                            + " refers to "
                            + ref.getKind()
                            + " "
                            + ref.getName()
                            + ", which the chart does not render"));
    List<PolicyRule> rules =
        role instanceof ClusterRole clusterRole ? clusterRole.getRules() : ((Role) role).getRules();
    String source = role.getKind() + " " + name(role) + " through " + binding;
    return rules.stream().map(rule -> new Grant(namespace, rule, source)).toList();
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }

  private static List<JsonNode> parse(String manifest) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents =
        YAML.readerFor(JsonNode.class).readValues(manifest)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.isObject() && document.has("kind")) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the rendered chart", e);
    }
    return objects;
  }
}
