package dev.orderly.testsupport;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.RootPathsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesVersionPriority;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Legacy (non-aggregated) discovery documents built from {@link BuiltInApiResources} and the
 * CustomResourceDefinitions stored at the moment of the request.
 */
final class ApiDiscovery {

  private static final Map<String, String> VERSION =
      Map.of(
          "major", "1",
          "minor", "31",
          "gitVersion", "v1.31.0",
          "gitCommit", "0000000000000000000000000000000000000000",
          "gitTreeState", "clean",
          "buildDate", "2024-08-13T00:00:00Z",
          "goVersion", "go1.22.5",
          "compiler", "gc",
          "platform", "linux/amd64");

  private final Supplier<List<CustomResourceDefinition>> storedCrds;

  ApiDiscovery(Supplier<List<CustomResourceDefinition>> storedCrds) {
    this.storedCrds = storedCrds;
  }

  /** The document served at {@code path} (no query), or empty when it is no discovery path. */
  Optional<Object> document(String path) {
    if (!isDiscovery(path)) {
      return Optional.empty();
    }
    List<ApiResource> resources = resources();
    if (path.startsWith(OpenApiDocuments.ROOT)) {
      return OpenApiDocuments.document(path, resources);
    }
    switch (path) {
      case "/version":
        return Optional.of(VERSION);
      case "/":
        return Optional.of(rootPaths(resources));
      case "/api":
        return Optional.of(new APIVersionsBuilder().withVersions("v1").build());
      case "/apis":
        return Optional.of(new APIGroupListBuilder().withGroups(groups(resources)).build());
      default:
        return groupOrResources(path, resources);
    }
  }

  /** The resource type served under {@code group/version/plural}, built-in or custom. */
  Optional<ApiResource> find(String group, String version, String plural) {
    return BuiltInApiResources.find(group, version, plural)
        .or(
            () ->
                storedCrds.get().stream()
                    .flatMap(ApiDiscovery::served)
                    .filter(r -> r.group().equals(group) && r.version().equals(version))
                    .filter(r -> r.plural().equals(plural))
                    .findFirst());
  }

  private static boolean isDiscovery(String path) {
    return List.of("/", "/version", "/api", "/apis").contains(path)
        || path.equals(OpenApiDocuments.ROOT)
        || path.startsWith(OpenApiDocuments.ROOT + "/")
        || path.matches("/apis/[^/]+")
        || ResourcePath.parse(path).filter(ResourcePath::isDiscovery).isPresent();
  }

  private Optional<Object> groupOrResources(String path, List<ApiResource> resources) {
    String[] segments = path.substring(1).split("/");
    if (segments.length == 2 && segments[0].equals("apis")) {
      return groups(resources).stream()
          .filter(group -> group.getName().equals(segments[1]))
          .map(Object.class::cast)
          .findFirst();
    }
    return ResourcePath.parse(path)
        .filter(ResourcePath::isDiscovery)
        .map(gv -> resourceList(gv.group(), gv.version(), resources));
  }

  private static Object resourceList(String group, String version, List<ApiResource> all) {
    List<APIResource> entries = new ArrayList<>();
    all.stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .forEach(r -> entries.addAll(entries(r)));
    if (entries.isEmpty()) {
      return null;
    }
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    return new APIResourceListBuilder()
        .withGroupVersion(groupVersion)
        .withResources(entries)
        .build();
  }

  private static List<APIResource> entries(ApiResource resource) {
    List<APIResource> entries = new ArrayList<>();
    entries.add(
        new APIResourceBuilder()
            .withName(resource.plural())
            .withSingularName(resource.singular())
            .withNamespaced(resource.namespaced())
            .withKind(resource.kind())
            .withVerbs(resource.verbs())
            .build());
    for (String subresource : resource.subresources()) {
      boolean scale = subresource.equals(ApiResource.SCALE);
      entries.add(
          new APIResourceBuilder()
              .withName(resource.plural() + "/" + subresource)
              .withSingularName("")
              .withNamespaced(resource.namespaced())
              .withGroup(scale ? "autoscaling" : null)
              .withVersion(scale ? "v1" : null)
              .withKind(scale ? "Scale" : resource.kind())
              .withVerbs(ApiResource.SUBRESOURCE_VERBS)
              .build());
    }
    return entries;
  }

  private static List<APIGroup> groups(List<ApiResource> resources) {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    resources.stream()
        .filter(r -> !r.group().isEmpty())
        .forEach(
            r -> {
              List<String> versions =
                  versionsByGroup.computeIfAbsent(r.group(), g -> new ArrayList<>());
              if (!versions.contains(r.version())) {
                versions.add(r.version());
              }
            });
    List<APIGroup> groups = new ArrayList<>();
    versionsByGroup.forEach(
        (name, versions) -> {
          List<GroupVersionForDiscovery> ordered =
              KubernetesVersionPriority.sortByPriority(versions, v -> v).stream()
                  .map(v -> new GroupVersionForDiscovery(name + "/" + v, v))
                  .toList();
          groups.add(
              new APIGroupBuilder()
                  .withName(name)
                  .withVersions(ordered)
                  .withPreferredVersion(ordered.get(0))
                  .build());
        });
    return groups;
  }

  private static Object rootPaths(List<ApiResource> resources) {
    List<String> paths = new ArrayList<>(List.of("/api", "/api/v1", "/apis", "/version"));
    groups(resources).forEach(group -> paths.add("/apis/" + group.getName()));
    resources.stream()
        .filter(r -> !r.group().isEmpty())
        .map(r -> "/apis/" + r.apiVersion())
        .distinct()
        .forEach(paths::add);
    return new RootPathsBuilder().withPaths(paths).build();
  }

  private List<ApiResource> resources() {
    return Stream.concat(
            BuiltInApiResources.ALL.stream(),
            storedCrds.get().stream().flatMap(ApiDiscovery::served))
        .toList();
  }

  private static Stream<ApiResource> served(CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    var names = spec.getNames();
    return spec.getVersions().stream()
        .filter(version -> Boolean.TRUE.equals(version.getServed()))
        .map(
            version ->
                new ApiResource(
                    spec.getGroup(),
                    version.getName(),
                    names.getPlural(),
                    Optional.ofNullable(names.getSingular())
                        .orElse(names.getKind().toLowerCase(Locale.ROOT)),
                    names.getKind(),
                    "Namespaced".equals(spec.getScope()),
                    ApiResource.ALL_VERBS,
                    subresources(version)));
  }

  private static List<String> subresources(CustomResourceDefinitionVersion version) {
    List<String> subresources = new ArrayList<>();
    if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
      subresources.add(ApiResource.STATUS);
    }
    if (version.getSubresources() != null && version.getSubresources().getScale() != null) {
      subresources.add(ApiResource.SCALE);
    }
    return subresources;
  }
}
