package dev.orderly.reconciler;

import static dev.orderly.testsupport.OperatorHarness.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmJavaClient;
import dev.orderly.helm.HelmReleaseRequest;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under --no-cross-namespace-refs, deleting an OrderedRelease whose spec names another namespace
 * tears nothing down there: the reconcile refused the spec, and so does the teardown, before it
 * reads anything. Without it, adoptRelease: true would let a tenant delete another namespace's
 * release as the operator.
 */
class CrossNamespaceTeardownIntegrationTest {
  private static final String NS = "team-a";
  private static final String OTHER = "team-b";
  private static final Path CHART = Path.of("src/test/resources/charts/tenant").toAbsolutePath();

  @TempDir Path temp;

  private OperatorHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void deletingAnObjectNamingAnotherNamespaceLeavesThatNamespaceUntouched() throws IOException {
    // No default ServiceAccount: without the check, the teardown would run as the operator.
    harness = OperatorHarness.start(new TenancyPolicy(null, true));
    Path values = Files.writeString(temp.resolve("values.yaml"), "{}\n");
    new HelmJavaClient(harness.server().kubeconfig())
        .install(
            new HelmReleaseRequest(
                "shared", OTHER, CHART, values, false, Duration.ofMinutes(1), null));
    assertThat(secretExists(OTHER, "sh.helm.release.v1.shared.v1")).isTrue();
    assertThat(configMapExists(OTHER, "shared-settings")).isTrue();
    int before = harness.server().requests().size();

    OrderedRelease grab = Releases.ofChart(NS, "grab", CHART);
    grab.getSpec().setTargetNamespace(OTHER);
    grab.getSpec().setReleaseName("shared");
    grab.getSpec().setAdoptRelease(true);
    harness.create(grab);
    harness.awaitRelease(
        NS, "grab", r -> hasCondition(r, "Stalled", "True", "CrossNamespaceReference"));
    assertThat(harness.get(NS, "grab").getMetadata().getFinalizers())
        .as("the finalizer is on, so the deletion goes through the teardown")
        .isNotEmpty();

    harness.client().resource(harness.get(NS, "grab")).delete();
    await()
        .atMost(OperatorHarness.TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> harness.get(NS, "grab") == null);

    List<ApiRequest> all = List.copyOf(harness.server().requests());
    List<ApiRequest> since = all.subList(before, all.size());
    assertThat(since)
        .as("nothing was read from or written to " + OTHER + " for the object")
        .noneMatch(r -> r.path().contains("/namespaces/" + OTHER + "/"));
    assertThat(secretExists(OTHER, "sh.helm.release.v1.shared.v1")).isTrue();
    assertThat(configMapExists(OTHER, "shared-settings")).isTrue();
    assertThat(secretLabels(OTHER, "sh.helm.release.v1.shared.v1"))
        .as("Helm's record was not marked as adopted")
        .doesNotContainKey("orderly.dev/owner-uid");
    List<Event> leftAlone =
        harness.events(NS, "grab").stream()
            .filter(e -> e.getType().equals("Warning"))
            .filter(e -> e.getMessage().startsWith("nothing was torn down"))
            .toList();
    assertThat(leftAlone).hasSize(1);
    assertThat(leftAlone.get(0).getReason()).isEqualTo("CrossNamespaceReference");
    assertThat(leftAlone.get(0).getMessage())
        .contains("spec.targetNamespace")
        .contains(OTHER)
        .contains("--no-cross-namespace-refs")
        .contains("removing the finalizer");
    assertThat(harness.events(NS, "grab"))
        .extracting(Event::getReason)
        .as("no teardown started")
        .doesNotContain("TeardownPhaseStarted", "TeardownComplete");
  }

  private boolean secretExists(String namespace, String name) {
    return harness.client().secrets().inNamespace(namespace).withName(name).get() != null;
  }

  private java.util.Map<String, String> secretLabels(String namespace, String name) {
    return harness
        .client()
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getMetadata()
        .getLabels();
  }

  private boolean configMapExists(String namespace, String name) {
    return harness.client().configMaps().inNamespace(namespace).withName(name).get() != null;
  }
}
