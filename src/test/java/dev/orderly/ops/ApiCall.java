package dev.orderly.ops;

import dev.orderly.testsupport.ApiRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An API request as Kubernetes' authorizer sees it (the API server's {@code RequestInfo}): a verb
 * on a group's resource, maybe a subresource, in a namespace or cluster-wide, maybe on one object
 * by name; or a verb on a non-resource URL such as {@code /apis} or {@code /openapi/v3}.
 *
 * @param namespace null when cluster-wide (a cluster-scoped kind, or a list across namespaces)
 * @param name null unless the request names one object (a list or watch may name one through a
 *     {@code metadata.name} field selector)
 * @param nonResourcePath the path when this is no resource request, else null
 */
record ApiCall(
    String verb,
    String group,
    String resource,
    String subresource,
    String namespace,
    String name,
    String nonResourcePath,
    ApiRequest request) {

  // Paths /api/v1/namespaces/{name}/{sub} address a subresource of the Namespace itself.
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /** Parses {@code request} as {@code k8s.io/apiserver/pkg/endpoints/request.RequestInfo} does. */
  static ApiCall of(ApiRequest request) {
    String uri = request.path();
    int question = uri.indexOf('?');
    String path = question < 0 ? uri : uri.substring(0, question);
    Map<String, String> query = query(question < 0 ? "" : uri.substring(question + 1));
    List<String> parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    String method = request.method().toUpperCase(Locale.ROOT);
    boolean core = !parts.isEmpty() && parts.get(0).equals("api");
    boolean grouped = !parts.isEmpty() && parts.get(0).equals("apis");
    // Discovery documents (/api/v1, /apis/group/version) are non-resource URLs too.
    if (!(core && parts.size() >= 3) && !(grouped && parts.size() >= 4)) {
      return new ApiCall(
          method.toLowerCase(Locale.ROOT), null, null, null, null, null, path, request);
    }
    String group = core ? "" : parts.get(1);
    List<String> rest = parts.subList(core ? 2 : 3, parts.size());
    String verb =
        switch (method) {
          case "POST" -> "create";
          case "GET", "HEAD" -> "get";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> method.toLowerCase(Locale.ROOT);
        };
    if (rest.get(0).equals("watch")) {
      verb = "watch";
      rest = rest.subList(1, rest.size());
    }
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() > 1) {
      namespace = rest.get(1);
      if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
        rest = rest.subList(2, rest.size());
      }
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? rest.get(2) : null;
    if (name == null && verb.equals("get")) {
      verb = "true".equals(query.get("watch")) ? "watch" : "list";
    }
    if (name == null && (verb.equals("list") || verb.equals("watch"))) {
      name = exactName(query.get("fieldSelector"));
    }
    if (name == null && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new ApiCall(verb, group, resource, subresource, namespace, name, null, request);
  }

  boolean isResourceRequest() {
    return nonResourcePath == null;
  }

  /** The resource as RBAC rules name it: {@code pods} or {@code pods/status}. */
  String combinedResource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  /** What RBAC is asked, e.g. {@code patch coordination.k8s.io leases "orderly-operator" in ns}. */
  String attributes() {
    if (!isResourceRequest()) {
      return verb + " " + nonResourcePath;
    }
    return verb
        + " "
        + (group.isEmpty() ? "\"\"" : group)
        + " "
        + combinedResource()
        + (name == null ? "" : " \"" + name + "\"")
        + (namespace == null ? " cluster-wide" : " in " + namespace);
  }

  @Override
  public String toString() {
    return attributes() + " (" + request.method() + " " + request.path() + ")";
  }

  private static Map<String, String> query(String text) {
    Map<String, String> query = new HashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      query.put(decode(key), decode(value));
    }
    return query;
  }

  /** The name a field selector requires exactly ({@code metadata.name=x}), else null. */
  private static String exactName(String fieldSelector) {
    if (fieldSelector == null) {
      return null;
    }
    for (String term : fieldSelector.split(",")) {
      String[] sides = term.split("==?", 2);
      if (sides.length == 2 && sides[0].trim().equals("metadata.name") && !term.contains("!=")) {
        return sides[1].trim();
      }
    }
    return null;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
