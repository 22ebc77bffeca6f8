package dev.orderly.kube;

import dev.orderly.helm.PermissionRefusal;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Sorts the API server's answers into transient ones, worth asking again after a backoff, and
 * definite ones, which fail the step that asked. Transient: no answer at all (a lost connection, a
 * timeout: no HTTP status, an I/O cause), 408 Request Timeout, 409 Conflict (a write raced another
 * writer), 429 Too Many Requests and every 5xx. Definite: any other 4xx, and a client-side error
 * with no I/O cause. 404 is definite too; callers that delete read it as "already gone".
 */
public final class ApiErrors {
  private ApiErrors() {}

  /** Whether asking again later may well get a different answer. */
  public static boolean isTransient(KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0) {
      return hasIoCause(e);
    }
    return code == 408 || code == 409 || code == 429 || code >= 500;
  }

  /** A definite refusal: a 4xx other than 408, 409 and 429, or an error that is not transient. */
  public static boolean isDefinite(RuntimeException e) {
    return !(e instanceof KubernetesClientException client) || !isTransient(client);
  }

  /**
   * What the server said, for a step's message: a 403 that names a missing permission says which
   * value of the operator's chart grants it; anything else gives the server's own message.
   */
  public static String describe(KubernetesClientException e) {
    String server =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    if (e.getCode() == 403) {
      return PermissionRefusal.describe(server).orElse(server);
    }
    return e.getCode() <= 0 ? server : e.getCode() + " " + server;
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException || cause instanceof TimeoutException) {
        return true;
      }
      if (cause == cause.getCause()) {
        break;
      }
    }
    return false;
  }
}
