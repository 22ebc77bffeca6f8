package dev.orderly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.testsupport.ApiRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sorts the operator's API requests during one release's teardown into what the phases need and
 * what they do not. The minimum ({@link #minimum()}): one create per hook, one delete per hook (all
 * have {@code hook-succeeded}) and per object, one read and one delete of Helm's release record,
 * one status write per phase entered, and the finalizer's removal.
 */
final class RequestAudit {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RECORD = "sh.helm.release.v1.";

  /** A category of request and whether the phases need it. */
  enum Category {
    HOOK_CREATE("create a hook", true),
    HOOK_DELETE("delete a hook (hook-succeeded)", true),
    OBJECT_DELETE("delete an object (first delete)", true),
    RECORD_READ("read Helm's release record to plan", true),
    RECORD_DELETE("delete Helm's release record", true),
    STATUS_WRITE("write status (one per phase change)", true),
    FINALIZER("remove the finalizer", true),
    FINALIZER_RETRY("remove the finalizer again (after a 409 Conflict)", false),
    OBJECT_GET("GET an object by name (observe)", false),
    LIST("list a collection", false),
    DELETE_AGAIN("DELETE an object already deleted", false),
    RECORD_UPDATE("update Helm's release record before deleting it", false),
    EVENT("create an Event", false),
    LEDGER("read or write the teardown ledger Secret (crash safety)", false),
    EXTRA_STATUS_WRITE("write status beyond one per phase change", false),
    RELEASE_READ("read the OrderedRelease (before the retry)", false),
    DISCOVERY("discovery (/version, /api, /apis)", false),
    OTHER("other", false);

    final String label;
    final boolean needed;

    Category(String label, boolean needed) {
      this.label = label;
      this.needed = needed;
    }
  }

  /** Who sent a request: Orderly's fabric8 client or Helm (helm-java's client-go). */
  enum Sender {
    Orderly,
    Helm
  }

  /** Counts by category and sender for one teardown. */
  record Tally(Map<Category, Map<Sender, Integer>> counts) {
    int total() {
      return counts.values().stream()
          .flatMap(m -> m.values().stream())
          .mapToInt(Integer::intValue)
          .sum();
    }

    int count(Category category) {
      return counts.getOrDefault(category, Map.of()).values().stream()
          .mapToInt(Integer::intValue)
          .sum();
    }
  }

  private RequestAudit() {}

  /** The fewest requests a teardown of the benchmark release needs. */
  static int minimum() {
    return 2 * BenchChart.HOOKS.size() + BenchChart.OBJECTS + 2 + BenchChart.PHASES + 1;
  }

  /**
   * The namespace of the release {@code request} is about: the namespace in its path, or for the
   * release's cluster-scoped objects ({@code <namespace>-bench}) the one in their name; null for
   * discovery and cluster-wide requests.
   */
  static String namespaceOf(ApiRequest request) {
    String path = withoutQuery(request.path());
    int at = path.indexOf("/namespaces/");
    if (at >= 0) {
      int start = at + "/namespaces/".length();
      int end = path.indexOf('/', start);
      return end < 0 ? null : path.substring(start, end);
    }
    String suffix = "-" + BenchCluster.RELEASE;
    String name = lastSegment(path);
    if (path.contains("/clusterrole") && name.endsWith(suffix)) {
      return name.substring(0, name.length() - suffix.length());
    }
    return null;
  }

  /** Counts the operator's requests about one release by category and sender. */
  static Tally classify(List<ApiRequest> operatorRequests) {
    Map<Category, Map<Sender, Integer>> counts = new LinkedHashMap<>();
    List<Category> categories = categorize(operatorRequests);
    for (int i = 0; i < categories.size(); i++) {
      counts
          .computeIfAbsent(categories.get(i), key -> new LinkedHashMap<>())
          .merge(sender(operatorRequests.get(i)), 1, Integer::sum);
    }
    return new Tally(counts);
  }

  /** The category of each of the operator's requests about one release, given in arrival order. */
  static List<Category> categorize(List<ApiRequest> operatorRequests) {
    List<Category> categories = new ArrayList<>();
    Set<String> deleted = new HashSet<>();
    int statusWrites = 0;
    boolean recordRead = false;
    boolean finalizerRemoved = false;
    for (ApiRequest request : operatorRequests) {
      String path = withoutQuery(request.path());
      String method = request.method();
      Category category;
      if (lastSegment(path).endsWith(".orderly-teardown")
          || (method.equals("POST") && nameInBody(request.body()).endsWith(".orderly-teardown"))) {
        category = Category.LEDGER;
      } else if (path.contains("/orderedreleases/")) {
        if (path.endsWith("/status") && !method.equals("GET")) {
          category =
              ++statusWrites <= BenchChart.PHASES
                  ? Category.STATUS_WRITE
                  : Category.EXTRA_STATUS_WRITE;
        } else if (method.equals("GET")) {
          category = Category.RELEASE_READ;
        } else {
          category = finalizerRemoved ? Category.FINALIZER_RETRY : Category.FINALIZER;
          finalizerRemoved = true;
        }
      } else if (method.equals("POST") && path.endsWith("/events")) {
        category = Category.EVENT;
      } else if (method.equals("POST")) {
        String name = nameInBody(request.body());
        category = BenchChart.HOOKS.contains(name) ? Category.HOOK_CREATE : Category.OTHER;
      } else if (method.equals("DELETE")) {
        String name = lastSegment(path);
        if (!deleted.add(path)) {
          category = Category.DELETE_AGAIN;
        } else if (name.startsWith(RECORD)) {
          category = Category.RECORD_DELETE;
        } else {
          category =
              BenchChart.HOOKS.contains(name) ? Category.HOOK_DELETE : Category.OBJECT_DELETE;
        }
      } else if (method.equals("PUT") && lastSegment(path).startsWith(RECORD)) {
        category = Category.RECORD_UPDATE;
      } else if (method.equals("GET") && isCollection(path)) {
        boolean releaseRecords =
            path.endsWith("/secrets") && request.path().contains("owner%3Dhelm");
        if (releaseRecords && !recordRead) {
          recordRead = true;
          category = Category.RECORD_READ;
        } else {
          category = Category.LIST;
        }
      } else if (method.equals("GET")) {
        category = Category.OBJECT_GET;
      } else {
        category = Category.OTHER;
      }
      categories.add(category);
    }
    return categories;
  }

  /** Helm's client-go asks for JSON or protobuf explicitly; fabric8 sends no Accept header. */
  static Sender sender(ApiRequest request) {
    return request.accept().isEmpty() ? Sender.Orderly : Sender.Helm;
  }

  private static boolean isCollection(String path) {
    String[] segments = path.split("/");
    int afterNamespace = -1;
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].equals("namespaces") && i + 2 < segments.length) {
        afterNamespace = i + 2;
      }
    }
    if (afterNamespace >= 0) {
      return afterNamespace == segments.length - 1;
    }
    // Cluster-scoped: /apis/group/version/resource[/name]
    int base = path.startsWith("/api/") ? 3 : 4;
    return segments.length == base + 1;
  }

  private static String nameInBody(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? "" : node.path("metadata").path("name").asText("");
    } catch (IOException notJson) {
      return "";
    }
  }

  private static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
