package dev.orderly.testsupport;

import java.util.List;

/** One resource type as the test API server serves it in discovery. */
record ApiResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> verbs,
    List<String> subresources) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");
  static final String STATUS = "status";
  static final String SCALE = "scale";

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
