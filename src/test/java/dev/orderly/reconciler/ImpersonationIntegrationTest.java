package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmReleaseRecord;
import dev.orderly.helm.ReleaseRecordCodec;
import dev.orderly.testsupport.ApiFaults.Fault;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which identity each request is made as, seen on the wire: the test API server does not enforce
 * impersonation (TenancyE2E shows the real one does), but it records the {@code Impersonate-User}
 * header of every request, Helm's Go client's included.
 */
class ImpersonationIntegrationTest {
  private static final String NS = "team-a";
  private static final Path CHART = Path.of("src/test/resources/charts/tenant").toAbsolutePath();

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void helmAndTheTeardownActAsTheServiceAccountAndTheBookkeepingAsTheOperator() {
    harness = OperatorHarness.start();
    OrderedRelease release = Releases.ofChart(NS, "app", CHART);
    release.getSpec().setServiceAccountName("deployer");
    harness.create(release);
    harness.awaitRelease(NS, "app", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    harness.client().resource(harness.get(NS, "app")).delete();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> harness.get(NS, "app") == null);

    String deployer = "system:serviceaccount:" + NS + ":deployer";
    List<ApiRequest> requests = harness.server().requests();
    assertThat(writes(requests, "/configmaps"))
        .as(
            "Helm's Go client creates the chart's objects as the ServiceAccount; the teardown"
                + " deletes them as it")
        .extracting(ApiRequest::method)
        .contains("POST", "DELETE");
    assertThat(writes(requests, "/configmaps"))
        .allMatch(r -> r.impersonateUser().equals(deployer), "impersonating " + deployer);
    assertThat(writes(requests, "/secrets/sh.helm.release.v1.app.v1"))
        .filteredOn(r -> r.method().equals("DELETE"))
        .as("Helm's record is removed as the ServiceAccount")
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().equals(deployer));
    assertThat(writes(requests, "/orderedreleases/"))
        .as("status and finalizer are the operator's own")
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().isEmpty());
    assertThat(writes(requests, "/events"))
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().isEmpty());
  }

  @Test
  void helmsRecordsAreReadMarkedAndUnlockedAsTheServiceAccountBeforeHelmRuns() {
    harness = OperatorHarness.start();
    // What a crash mid-install leaves: a pending record long past the install's timeout.
    Secret stale = harness.client().resource(pendingRecord("app")).create();
    OrderedRelease release = Releases.ofChart(NS, "app", CHART);
    release.getSpec().setServiceAccountName("deployer");
    harness.create(release);
    harness.awaitRelease(NS, "app", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    assertThat(harness.events(NS, "app"))
        .extracting(e -> e.getReason())
        .contains("StaleLockRecovered");
    assertThat(
            harness
                .client()
                .secrets()
                .inNamespace(NS)
                .withName("sh.helm.release.v1.app.v1")
                .get()
                .getMetadata()
                .getUid())
        .as("the stale record was removed and Helm wrote its own")
        .isNotEqualTo(stale.getMetadata().getUid());

    String deployer = "system:serviceaccount:" + NS + ":deployer";
    List<ApiRequest> requests = harness.server().requests();
    assertThat(requests)
        .filteredOn(r -> r.method().equals("DELETE"))
        .filteredOn(r -> r.path().contains("/secrets/sh.helm.release.v1.app.v1"))
        .as("the stale pending record is removed as the ServiceAccount")
        .hasSize(1)
        .allMatch(r -> r.impersonateUser().equals(deployer));
    assertThat(requests)
        .filteredOn(r -> r.method().equals("PATCH"))
        .filteredOn(r -> r.path().contains("/secrets/sh.helm.release.v1.app."))
        .as("the record is marked as this object's as the ServiceAccount")
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().equals(deployer));
    assertThat(requests)
        .filteredOn(r -> r.method().equals("GET"))
        .filteredOn(r -> r.path().contains("/namespaces/" + NS + "/secrets?"))
        .filteredOn(r -> r.path().contains("owner%3Dhelm") || r.path().contains("owner=helm"))
        .as("Helm's records are listed (sizes, ownership, the pending lock) as the ServiceAccount")
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().equals(deployer));
  }

  @Test
  void aRecordTheServiceAccountMayNotRemoveStallsTheInstallNamingTheAccount() {
    harness = OperatorHarness.start();
    harness.client().resource(pendingRecord("app")).create();
    Fault refusal =
        harness
            .server()
            .faults()
            .answerUntilCleared(
                "DELETE", "/api/v1/namespaces/" + NS + "/secrets/sh.helm.release.v1.app.v1", 403);
    OrderedRelease release = Releases.ofChart(NS, "app", CHART);
    release.getSpec().setServiceAccountName("deployer");
    harness.create(release);

    OrderedRelease stalled =
        harness.awaitRelease(
            NS, "app", r -> hasCondition(r, "Stalled", "True", "ServiceAccountForbidden"));
    assertThat(OperatorHarness.condition(stalled, "Stalled").orElseThrow().getMessage())
        .startsWith("recovering a stale pending record refused: ServiceAccount " + NS + "/deployer")
        .contains("injected fault 403");
    assertThat(refusal.hits()).isEqualTo(1);
    assertThat(harness.events(NS, "app"))
        .filteredOn(e -> e.getType().equals("Warning"))
        .extracting(e -> e.getReason())
        .containsExactly("ServiceAccountForbidden");
    assertThat(
            harness
                .client()
                .secrets()
                .inNamespace(NS)
                .withName("sh.helm.release.v1.app.v1")
                .get()
                .getMetadata()
                .getLabels())
        .as("the record is as it was: no install ran")
        .containsEntry("status", "pending-install");
  }

  @Test
  void lockdownActsAsTheDefaultServiceAccountAndRefusesOtherNamespaces() {
    harness = OperatorHarness.start(new TenancyPolicy("default", true));
    harness.create(Releases.ofChart(NS, "app", CHART));
    OrderedRelease away = Releases.ofChart(NS, "away", CHART);
    away.getSpec().setTargetNamespace("kube-system");
    harness.create(away);
    harness.awaitRelease(NS, "app", r -> hasCondition(r, "Ready", "True", "InstallSucceeded"));
    OrderedRelease refused =
        harness.awaitRelease(
            NS, "away", r -> hasCondition(r, "Stalled", "True", "CrossNamespaceReference"));

    assertThat(OperatorHarness.condition(refused, "Stalled").orElseThrow().getMessage())
        .contains("spec.targetNamespace kube-system")
        .contains("--no-cross-namespace-refs");
    assertThat(harness.events(NS, "away"))
        .filteredOn(e -> e.getType().equals("Warning"))
        .extracting(e -> e.getReason())
        .containsExactly("CrossNamespaceReference");
    List<ApiRequest> requests = harness.server().requests();
    assertThat(writes(requests, "/configmaps"))
        .isNotEmpty()
        .allMatch(r -> r.impersonateUser().equals("system:serviceaccount:" + NS + ":default"));
    assertThat(requests)
        .as("nothing was asked of kube-system")
        .noneMatch(r -> r.path().contains("/namespaces/kube-system/"));
  }

  /** Helm's record of revision 1 of {@code name}, left pending-install an hour ago. */
  private static Secret pendingRecord(String name) {
    Secret secret =
        ReleaseRecordCodec.encode(
            new HelmReleaseRecord(
                name, NS, 1, "pending-install", "tenant", "0.1.0", "", List.of()));
    secret
        .getMetadata()
        .getLabels()
        .put("createdAt", Long.toString(Instant.now().minusSeconds(3600).getEpochSecond()));
    return secret;
  }

  private static List<ApiRequest> writes(List<ApiRequest> requests, String pathPart) {
    return requests.stream()
        .filter(r -> !r.method().equals("GET"))
        .filter(r -> r.path().contains(pathPart))
        .toList();
  }
}
