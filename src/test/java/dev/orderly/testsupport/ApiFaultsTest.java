package dev.orderly.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class ApiFaultsTest {
  private static final String PATH = "/api/v1/namespaces/apps/configmaps/settings";

  @Test
  void aFaultAnswersMatchingRequestsItsNumberOfTimesThenTheyAreServed() {
    try (TestApiServer server = new TestApiServer().start()) {
      KubernetesClient client = server.client();
      ConfigMap settings =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("settings")
              .withNamespace("apps")
              .endMetadata()
              .build();
      client.resource(settings).create();
      ApiFaults.Fault fault = server.faults().answer("GET", PATH, 503, 2);

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> client.resource(settings).get())
            .isInstanceOfSatisfying(
                KubernetesClientException.class,
                e -> {
                  assertThat(e.getCode()).isEqualTo(503);
                  assertThat(e.getStatus().getReason()).isEqualTo("ServiceUnavailable");
                  assertThat(e.getStatus().getMessage())
                      .isEqualTo("injected fault 503 for GET " + PATH);
                });
      }
      assertThat(client.resource(settings).get()).isNotNull();
      assertThat(fault.hits()).isEqualTo(2);
      assertThat(client.configMaps().inNamespace("apps").list().getItems())
          .as("another path is served")
          .hasSize(1);
    }
  }

  @Test
  void aFaultUntilClearedChangesNothingInTheStore() {
    try (TestApiServer server = new TestApiServer().start()) {
      KubernetesClient client = server.client();
      ConfigMap settings =
          client
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("settings")
                      .withNamespace("apps")
                      .endMetadata()
                      .build())
              .create();
      ApiFaults.Fault fault = server.faults().answerUntilCleared("DELETE", PATH, 422);

      assertThatThrownBy(() -> client.resource(settings).delete())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
      assertThat(client.resource(settings).get()).as("not deleted").isNotNull();

      fault.clear();
      client.resource(settings).delete();
      assertThat(client.resource(settings).get()).isNull();
      assertThat(server.requests())
          .filteredOn(r -> r.method().equals("DELETE"))
          .as("journaled, injected or served")
          .hasSize(2);
    }
  }

  @Test
  void aFaultOnEveryOtherRequestFailsEachFirstTryAndServesItsRetry() {
    try (TestApiServer server = new TestApiServer().start()) {
      KubernetesClient client = server.client();
      ConfigMap settings =
          client
              .resource(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withName("settings")
                      .withNamespace("apps")
                      .endMetadata()
                      .build())
              .create();
      ApiFaults.Fault fault = server.faults().answerEveryOther("GET", PATH, 503, 2);

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> client.resource(settings).get())
            .isInstanceOf(KubernetesClientException.class);
        assertThat(client.resource(settings).get()).as("the retry").isNotNull();
      }
      assertThat(client.resource(settings).get()).as("no answers left").isNotNull();
      assertThat(fault.hits()).isEqualTo(2);
    }
  }
}
