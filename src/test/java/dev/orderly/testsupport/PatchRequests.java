package dev.orderly.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.function.BinaryOperator;

/**
 * Turns merge, strategic merge and apply patches into a whole-object JSON patch for the CRUD store;
 * {@link HelmCompatibleDispatcher} documents the approximations.
 */
final class PatchRequests {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  // Another writer may slip in between reading the object and storing the result; then retry.
  private static final int ATTEMPTS = 3;

  private final HelmCompatibleDispatcher store;

  PatchRequests(HelmCompatibleDispatcher store) {
    this.store = store;
  }

  MockResponse patch(RecordedRequest request, ResourcePath path) {
    String body = Requests.text(request.getBody());
    return switch (Requests.mediaType(request)) {
      case Requests.JSON_PATCH -> store.jsonPatch(request);
      case "application/merge-patch+json" ->
          merge(request, path, Requests.json(body), MergePatches::apply, false);
      case "application/strategic-merge-patch+json" ->
          merge(request, path, Requests.json(body), StrategicMergePatch::apply, false);
      case "application/apply-patch+yaml" ->
          merge(request, path, yaml(body), MergePatches::apply, true);
      default ->
          ApiStatus.failure(
              415, "UnsupportedMediaType", "unsupported patch type " + Requests.mediaType(request));
    };
  }

  private MockResponse merge(
      RecordedRequest request,
      ResourcePath path,
      JsonNode patch,
      BinaryOperator<JsonNode> applier,
      boolean createIfMissing) {
    if (!patch.isObject()) {
      return ApiStatus.failure(400, "BadRequest", "the patch is no JSON object");
    }
    boolean pinsVersion = patch.path("metadata").has("resourceVersion");
    MockResponse response = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      MockResponse current = store.storedObject(path.objectPath());
      if (current.code() == 404) {
        if (!createIfMissing || path.subresource() != null) {
          return current;
        }
        response = create(request, path, patch);
        if (response.code() != 409) {
          return response;
        }
        continue; // another applier created it first: merge into theirs
      }
      JsonNode merged = applier.apply(Requests.json(Requests.text(current.getBody())), patch);
      var replaceAll = JsonNodeFactory.instance.arrayNode();
      replaceAll.addObject().put("op", "replace").put("path", "").set("value", merged);
      response =
          store.jsonPatch(
              Requests.withBody(request, Requests.JSON_PATCH, Serialization.asJson(replaceAll)));
      if (response.code() != 409 || pinsVersion) {
        return response;
      }
    }
    return response;
  }

  private MockResponse create(RecordedRequest request, ResourcePath path, JsonNode object) {
    ResourcePath collection =
        new ResourcePath(
            path.group(), path.version(), path.namespace(), path.resource(), null, null);
    return store.create(
        Requests.with(
            request,
            HttpMethod.POST,
            collection.objectPath(),
            Requests.JSON,
            Serialization.asJson(object)));
  }

  private static JsonNode yaml(String body) {
    try {
      return YAML.readTree(body);
    } catch (JsonProcessingException notYaml) {
      return JsonNodeFactory.instance.missingNode();
    }
  }
}
