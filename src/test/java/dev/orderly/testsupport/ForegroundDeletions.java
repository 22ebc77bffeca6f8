package dev.orderly.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.stream.StreamSupport;

/**
 * Foreground deletion as Kubernetes documents it: an owner deleted with {@code propagationPolicy:
 * Foreground} that still has dependents stays, with a deletionTimestamp and the {@code
 * foregroundDeletion} finalizer, until the garbage collector (the cluster simulator's) has removed
 * them and the finalizer. An owner without dependents is removed at once, as the collector would a
 * moment later. Dependents are the Pods whose ownerReferences name the owner's UID: the only
 * dependents the simulator creates.
 */
final class ForegroundDeletions {
  static final String FINALIZER = "foregroundDeletion";

  private final HelmCompatibleDispatcher store;

  ForegroundDeletions(HelmCompatibleDispatcher store) {
    this.store = store;
  }

  MockResponse delete(RecordedRequest request, ResourcePath path) {
    if (path.name() == null
        || path.subresource() != null
        || !"Foreground".equals(policy(request))) {
      return store.plainDelete(request);
    }
    MockResponse current = store.storedObject(path.objectPath());
    if (current.code() != 200) {
      return store.plainDelete(request);
    }
    JsonNode object = Requests.json(Requests.text(current.getBody()));
    JsonNode metadata = object.path("metadata");
    if (!hasDependents(metadata.path("namespace").asText(null), metadata.path("uid").asText())) {
      return store.plainDelete(request);
    }
    ArrayNode addFinalizer = JsonNodeFactory.instance.arrayNode();
    if (metadata.has("finalizers")) {
      addFinalizer
          .addObject()
          .put("op", "add")
          .put("path", "/metadata/finalizers/-")
          .put("value", FINALIZER);
    } else {
      addFinalizer
          .addObject()
          .put("op", "add")
          .put("path", "/metadata/finalizers")
          .set("value", JsonNodeFactory.instance.arrayNode().add(FINALIZER));
    }
    store.jsonPatch(
        Requests.with(
            request,
            HttpMethod.PATCH,
            path.objectPath(),
            Requests.JSON_PATCH,
            Serialization.asJson(addFinalizer)));
    // With a finalizer on it, the store marks the object deleted instead of removing it.
    return store.plainDelete(request);
  }

  private boolean hasDependents(String namespace, String uid) {
    if (namespace == null) {
      return false;
    }
    MockResponse pods = store.storedObject("/api/v1/namespaces/" + namespace + "/pods");
    JsonNode items = Requests.json(Requests.text(pods.getBody())).path("items");
    return StreamSupport.stream(items.spliterator(), false)
        .flatMap(
            pod ->
                StreamSupport.stream(
                    pod.path("metadata").path("ownerReferences").spliterator(), false))
        .anyMatch(owner -> uid.equals(owner.path("uid").asText()));
  }

  /** The propagationPolicy of a JSON DeleteOptions body or query, if any. */
  private static String policy(RecordedRequest request) {
    String path = request.getPath();
    int at = path.indexOf("propagationPolicy=");
    if (at >= 0) {
      String rest = path.substring(at + "propagationPolicy=".length());
      int end = rest.indexOf('&');
      return end < 0 ? rest : rest.substring(0, end);
    }
    String body = Requests.text(request.getBody());
    if (body.isBlank() || !body.trim().startsWith("{")) {
      return null;
    }
    return Requests.json(body).path("propagationPolicy").asText(null);
  }
}
