package dev.orderly.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;

/**
 * The part of the API server's NamespaceLifecycle admission this server has: nothing can be created
 * in a namespace that is being deleted (a stored Namespace with a deletionTimestamp). The refusal
 * is the one kube-apiserver sends, 403 Forbidden with the cause {@code NamespaceTerminating}.
 * Creating in a namespace that was never created, or is already gone, is still allowed here: tests
 * use namespaces without creating them.
 */
final class NamespaceLifecycle {
  private final HelmCompatibleDispatcher store;

  NamespaceLifecycle(HelmCompatibleDispatcher store) {
    this.store = store;
  }

  /** The refusal of a create at {@code path}, when its namespace is terminating. */
  Optional<MockResponse> refuseCreate(ResourcePath path) {
    if (path.namespace() == null || !terminating(path.namespace())) {
      return Optional.empty();
    }
    String message =
        path.resource()
            + " is forbidden: unable to create new content in namespace "
            + path.namespace()
            + " because it is being terminated";
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(403)
            .withReason("Forbidden")
            .withMessage(message)
            .withNewDetails()
            .withKind(path.resource())
            .addNewCause()
            .withReason("NamespaceTerminating")
            .withMessage("namespace " + path.namespace() + " is being terminated")
            .withField("metadata.namespace")
            .endCause()
            .endDetails()
            .build();
    return Optional.of(
        new MockResponse().setResponseCode(403).setBody(Serialization.asJson(status)));
  }

  private boolean terminating(String namespace) {
    MockResponse stored = store.storedObject("/api/v1/namespaces/" + namespace);
    if (stored.code() != 200) {
      return false;
    }
    JsonNode metadata = Requests.json(Requests.text(stored.getBody())).path("metadata");
    return !metadata.path("deletionTimestamp").asText("").isEmpty();
  }
}
