package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.kube.InstalledCrd;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orderly run} refuses an OrderedRelease CRD older than itself before it starts, because the
 * API server would drop the fields that CRD lacks (spec.serviceAccountName making a release act as
 * the operator).
 */
class RunCrdCheckTest {
  @TempDir Path dir;
  private TestApiServer server;
  private Path kubeconfig;

  @BeforeEach
  void start() throws IOException {
    server = new TestApiServer().start();
    kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aCrdWithoutServiceAccountNameStopsTheOperatorBeforeItStarts() {
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
    server.client().apiextensions().v1().customResourceDefinitions().resource(old).create();

    CliRun run = run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "orderly run: the OrderedRelease CRD in the cluster is older than this operator: it"
                + " lacks spec.serviceAccountName, ")
        .contains("kubectl apply --server-side -f crds/orderedreleases.orderly.dev-v1.yml")
        .hasLineCount(1);
    assertThat(server.requests())
        .as("nothing was watched or written: the operator never started")
        .noneMatch(request -> request.path().startsWith("/apis/orderly.dev/"));
  }

  @Test
  void noCrdStopsTheOperatorSayingHowToInstallIt() {
    CliRun run = run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "orderly run: the OrderedRelease CRD orderedreleases.orderly.dev is not installed;"
                + " install it: kubectl apply")
        .hasLineCount(1);
  }

  private CliRun run() {
    return CliRun.of(
        "run",
        "--kubeconfig",
        kubeconfig.toString(),
        "--metrics-port",
        "0",
        "--leader-election=false");
  }
}
