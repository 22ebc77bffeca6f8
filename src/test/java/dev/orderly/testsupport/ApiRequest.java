package dev.orderly.testsupport;

/**
 * One request the test API server received, in arrival order.
 *
 * @param method HTTP method in upper case, e.g. {@code PATCH}
 * @param path request URI with query, e.g. {@code /api/v1/namespaces/ns/secrets?labelSelector=..}
 * @param contentType the {@code Content-Type} header, or an empty string
 * @param accept the {@code Accept} header, or an empty string
 * @param body the request body as sent (protobuf stays binary), or an empty string
 * @param impersonateUser the {@code Impersonate-User} header, or an empty string
 */
public record ApiRequest(
    String method,
    String path,
    String contentType,
    String accept,
    String body,
    String impersonateUser) {

  /** A request made as its caller, impersonating no one. */
  public ApiRequest(String method, String path, String contentType, String accept, String body) {
    this(method, path, contentType, accept, body, "");
  }
}
