package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiErrorsTest {
  @ParameterizedTest
  @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504})
  void serverTroubleTimeoutsThrottlingAndConflictsAreTransient(int code) {
    KubernetesClientException e = answered(code, "try again");
    assertThat(ApiErrors.isTransient(e)).isTrue();
    assertThat(ApiErrors.isDefinite(e)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 405, 410, 415, 422})
  void otherClientErrorsAreDefinite(int code) {
    KubernetesClientException e = answered(code, "no");
    assertThat(ApiErrors.isTransient(e)).isFalse();
    assertThat(ApiErrors.isDefinite(e)).isTrue();
  }

  @Test
  void noAnswerAtAllIsTransient() {
    for (IOException cause :
        new IOException[] {
          new ConnectException("Connection refused"),
          new SocketTimeoutException("timed out"),
          new HttpTimeoutException("request timed out"),
          new EOFException("connection reset"),
          new IOException("Connection reset by peer")
        }) {
      KubernetesClientException e =
          new KubernetesClientException(
              "An error has occurred.", new IOException("wrapped", cause));
      assertThat(ApiErrors.isTransient(e)).as(cause.toString()).isTrue();
    }
  }

  @Test
  void aClientSideErrorWithoutAnIoCauseIsDefinite() {
    assertThat(ApiErrors.isTransient(new KubernetesClientException("Could not find the metadata")))
        .isFalse();
    assertThat(ApiErrors.isDefinite(new IllegalArgumentException("bad manifest"))).isTrue();
  }

  @Test
  void describeGivesTheServersMessageAndNamesAMissingPermission() {
    assertThat(ApiErrors.describe(answered(422, "spec.x: Invalid value")))
        .isEqualTo("422 spec.x: Invalid value");
    assertThat(
            ApiErrors.describe(
                answered(
                    403,
                    "daemonsets.apps \"agent\" is forbidden: User \"system:serviceaccount:o:o\""
                        + " cannot delete resource \"daemonsets\" in API group \"apps\" in the"
                        + " namespace \"agents\"")))
        .startsWith("the operator may not delete daemonsets.apps")
        .contains("rbac.releaseObjectRules");
  }

  private static KubernetesClientException answered(int code, String message) {
    Status status = new StatusBuilder().withCode(code).withMessage(message).build();
    return new KubernetesClientException(status);
  }
}
