package dev.orderly.testsupport;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Optional;

/** Failure {@code Status} bodies with the reason client-go derives its error type from. */
final class ApiStatus {

  private ApiStatus() {}

  /** A failure response whose body is a Status with {@code code}, reason and message. */
  static MockResponse failure(int code, String reason, String message) {
    Status status =
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .build();
    return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(status));
  }

  /**
   * Rewrites an error from the CRUD dispatcher into the Status Kubernetes would send: the stock
   * dispatcher answers some errors without a body and reports every other one as "Invalid".
   */
  static String rewrite(
      int code, String method, Optional<ResourcePath> path, String body, String fallbackMessage) {
    Status status = parse(body).orElseGet(() -> new StatusBuilder().build());
    String what =
        path.map(p -> p.resource() + (p.name() == null ? "" : " \"" + p.name() + "\""))
            .orElse("the resource");
    StatusBuilder builder =
        new StatusBuilder(status)
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason(code, method));
    if (status.getMessage() == null || status.getMessage().isEmpty()) {
      builder.withMessage(message(code, method, what, fallbackMessage));
    }
    path.filter(p -> p.resource() != null)
        .ifPresent(
            p ->
                builder
                    .editOrNewDetails()
                    .withName(p.name())
                    .withGroup(p.group().isEmpty() ? null : p.group())
                    .withKind(p.resource())
                    .endDetails());
    return Serialization.asJson(builder.build());
  }

  /** The reason Kubernetes gives a failure with {@code code}, answering {@code method}. */
  static String reason(int code, String method) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      // The CRUD dispatcher answers 409 both for a duplicate create and a stale resourceVersion.
      case 409 -> method.equals("POST") ? "AlreadyExists" : "Conflict";
      case 415 -> "UnsupportedMediaType";
      case 422 -> "Invalid";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      case 408, 504 -> "Timeout";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }

  private static String message(int code, String method, String what, String fallback) {
    return switch (code) {
      case 404 -> what + " not found";
      case 409 -> method.equals("POST") ? what + " already exists" : fallback;
      default -> fallback;
    };
  }

  private static Optional<Status> parse(String body) {
    return "Status".equals(Requests.json(body).path("kind").asText())
        ? Optional.of(Serialization.unmarshal(body, Status.class))
        : Optional.empty();
  }
}
