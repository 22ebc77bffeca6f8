package dev.orderly.testsupport;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of a Kubernetes REST path; {@code resource} is null for a group-version discovery path.
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {

  // Namespaces are the one resource whose subresource path looks like a namespaced collection.
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /** Parses {@code /api/v1/...} and {@code /apis/group/version/...}; query strings are ignored. */
  static Optional<ResourcePath> parse(String uri) {
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    List<String> segments =
        Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      return Optional.of(of("", segments.get(1), segments.subList(2, segments.size())));
    }
    if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      return Optional.of(
          of(segments.get(1), segments.get(2), segments.subList(3, segments.size())));
    }
    return Optional.empty();
  }

  private static ResourcePath of(String group, String version, List<String> rest) {
    String namespace = null;
    List<String> tail = rest;
    boolean namespaceSubresource = rest.size() == 3 && NAMESPACE_SUBRESOURCES.contains(rest.get(2));
    if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceSubresource) {
      namespace = rest.get(1);
      tail = rest.subList(2, rest.size());
    }
    return new ResourcePath(group, version, namespace, at(tail, 0), at(tail, 1), at(tail, 2));
  }

  private static String at(List<String> list, int index) {
    return index < list.size() ? list.get(index) : null;
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  boolean isDiscovery() {
    return resource == null;
  }

  boolean isCollection() {
    return resource != null && name == null;
  }

  /** The path of the whole object, without subresource and query. */
  String objectPath() {
    StringBuilder path = new StringBuilder(group.isEmpty() ? "/api" : "/apis/" + group);
    path.append('/').append(version);
    if (namespace != null) {
      path.append("/namespaces/").append(namespace);
    }
    path.append('/').append(resource);
    if (name != null) {
      path.append('/').append(name);
    }
    return path.toString();
  }
}
