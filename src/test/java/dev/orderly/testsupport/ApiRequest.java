package dev.orderly.testsupport;

/**
 * One request the test API server received, in arrival order, with the status code it was answered
 * with.
 *
 * @param method HTTP method in upper case, e.g. {@code PATCH}
 * @param path request URI with query, e.g. {@code /api/v1/namespaces/ns/secrets?labelSelector=..}
 * @param contentType the {@code Content-Type} header, or an empty string
 * @param accept the {@code Accept} header, or an empty string
 * @param body the request body as sent (protobuf stays binary), or an empty string
 * @param impersonateUser the {@code Impersonate-User} header, or an empty string
 * @param status the HTTP status code of the answer (101 for a watch), or 0 while it is being served
 */
public record ApiRequest(
    String method,
    String path,
    String contentType,
    String accept,
    String body,
    String impersonateUser,
    int status) {

  /** A request made as its caller, impersonating no one, not answered yet. */
  public ApiRequest(String method, String path, String contentType, String accept, String body) {
    this(method, path, contentType, accept, body, "");
  }

  /** A request not answered yet. */
  public ApiRequest(
      String method,
      String path,
      String contentType,
      String accept,
      String body,
      String impersonateUser) {
    this(method, path, contentType, accept, body, impersonateUser, 0);
  }

  /** This request, answered with {@code code}. */
  public ApiRequest answered(int code) {
    return new ApiRequest(method, path, contentType, accept, body, impersonateUser, code);
  }

  /**
   * The verb and resource, as an audit would count them: {@code PATCH orderedreleases}, {@code PUT
   * orderedreleases/status}, {@code LIST secrets}, {@code WATCH pods}, {@code GET /version}. A GET
   * of a collection is a LIST (a WATCH with {@code watch=true}).
   */
  public String verbAndResource() {
    return ResourcePath.parse(path)
        .filter(p -> !p.isDiscovery())
        .map(
            p -> {
              String verb = method;
              if (method.equals("GET") && p.isCollection()) {
                verb = path.contains("watch=true") ? "WATCH" : "LIST";
              }
              return verb
                  + " "
                  + p.resource()
                  + (p.subresource() == null ? "" : "/" + p.subresource());
            })
        .orElseGet(
            () -> {
              int query = path.indexOf('?');
              return method + " " + (query < 0 ? path : path.substring(0, query));
            });
  }
}
