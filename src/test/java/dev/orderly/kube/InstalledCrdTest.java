package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.CrdSchemaGap;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstalledCrdTest {
  private static final String CRD_PATH =
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + InstalledCrd.NAME;

  private TestApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    client = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theCrdOfThisVersionIsCurrent() {
    OperatorHarness.createCrd(client);

    assertThat(InstalledCrd.check(client)).isInstanceOf(InstalledCrd.Current.class);
  }

  @Test
  void theBundledCrdHasTheCheckedInOnesFields() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("crds", InstalledCrd.NAME + "-v1.yml"))) {
      CustomResourceDefinition checkedIn =
          io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
              in, CustomResourceDefinition.class);
      // The printer columns' order differs on purpose (see CrdInSyncTest); the fields must not.
      assertThat(CrdSchemaGap.missing(InstalledCrd.bundled(), checkedIn)).isEmpty();
      assertThat(CrdSchemaGap.missing(checkedIn, InstalledCrd.bundled())).isEmpty();
    }
  }

  @Test
  void aCrdFromBeforeServiceAccountNameIsOutdatedNamingTheField() {
    CustomResourceDefinition old = InstalledCrd.bundled();
    old.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec")
        .getProperties()
        .remove("serviceAccountName");
    client.apiextensions().v1().customResourceDefinitions().resource(old).create();

    assertThat(InstalledCrd.check(client))
        .isEqualTo(new InstalledCrd.Outdated(java.util.List.of("spec.serviceAccountName")));
  }

  @Test
  void noCrdIsNotInstalled() {
    assertThat(InstalledCrd.check(client)).isInstanceOf(InstalledCrd.NotInstalled.class);
  }

  @Test
  void aRefusedReadIsUnreadableWithTheServersReason() {
    server.faults().answerUntilCleared("GET", CRD_PATH, 403);

    InstalledCrd.Verdict verdict = InstalledCrd.check(client);

    assertThat(verdict).isInstanceOf(InstalledCrd.Unreadable.class);
    assertThat(((InstalledCrd.Unreadable) verdict).why()).isNotBlank();
  }
}
