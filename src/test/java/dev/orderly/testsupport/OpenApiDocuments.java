package dev.orderly.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Skeleton OpenAPI v3 documents: one PATCH operation per kind that declares the {@code
 * fieldValidation} query parameter and nothing else. client-go (kubectl's validator, which Helm
 * uses) reads them only to learn that the server validates fields itself, and then skips its
 * client-side schema validation.
 */
final class OpenApiDocuments {

  static final String ROOT = "/openapi/v3";

  private OpenApiDocuments() {}

  /** The document at {@code path} (below {@link #ROOT}), or empty when there is none. */
  static Optional<Object> document(String path, List<ApiResource> resources) {
    if (path.equals(ROOT)) {
      Map<String, Object> paths = new LinkedHashMap<>();
      resources.stream()
          .map(OpenApiDocuments::groupVersionPath)
          .distinct()
          .forEach(gv -> paths.put(gv, Map.of("serverRelativeURL", ROOT + "/" + gv)));
      return Optional.of(Map.of("paths", paths));
    }
    String groupVersion = path.substring(ROOT.length() + 1);
    List<ApiResource> served =
        resources.stream().filter(r -> groupVersionPath(r).equals(groupVersion)).toList();
    if (served.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> paths = new LinkedHashMap<>();
    served.forEach(r -> paths.put(objectPath(r), Map.of("patch", patchOperation(r))));
    return Optional.of(
        Map.of(
            "openapi",
            "3.0.0",
            "info",
            Map.of("title", "Kubernetes", "version", "v1.31.0"),
            "paths",
            paths));
  }

  private static Map<String, Object> patchOperation(ApiResource resource) {
    return Map.of(
        "operationId", "patch" + resource.kind(),
        "x-kubernetes-action", "patch",
        "x-kubernetes-group-version-kind",
            Map.of(
                "group", resource.group(),
                "version", resource.version(),
                "kind", resource.kind()),
        "parameters",
            List.of(
                Map.of(
                    "name", "fieldValidation",
                    "in", "query",
                    "schema", Map.of("type", "string"))),
        "responses", Map.of());
  }

  private static String groupVersionPath(ApiResource resource) {
    return resource.group().isEmpty()
        ? "api/" + resource.version()
        : "apis/" + resource.apiVersion();
  }

  private static String objectPath(ApiResource resource) {
    String namespace = resource.namespaced() ? "/namespaces/{namespace}" : "";
    return "/" + groupVersionPath(resource) + namespace + "/" + resource.plural() + "/{name}";
  }
}
