package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.orderly.e2e.AuditLog.Entry;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A release someone else installed, on the real control plane: an OrderedRelease of the same name
 * neither upgrades nor tears it down, and only one that asks for adoption takes it over, after
 * which its teardown follows the adopted release's record.
 */
@RequiresControlPlane
class OwnershipE2E extends RealClusterTest {
  private static final String RELEASE = "shared-agent";

  @Test
  void aReleaseInstalledByHelmIsLeftAloneUntilAnOrderedReleaseAdoptsIt() {
    String ns = namespace("e2e-owner");
    // As a user would before Orderly: helm install.
    new Helm(CHARTS.resolve("node-agent"))
        .install()
        .withName(RELEASE)
        .withNamespace(ns)
        .withKubeConfig(ControlPlane.kubeconfig().orElseThrow())
        .call();
    awaitRunningPods(ns, "app.kubernetes.io/instance", RELEASE, 3);

    Instant claimed = Instant.now();
    release(ns, "claimant", "node-agent", r -> r.getSpec().setReleaseName(RELEASE));
    Awaitility.await("the claimant is stalled; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> stalled(ns, "claimant"));
    assertThat(message(ns, "claimant", "Stalled"))
        .startsWith("ForeignRelease: ")
        .contains("installed outside Orderly")
        .contains("spec.adoptRelease");
    releases().inNamespace(ns).withName("claimant").delete();
    awaitGone(ns, "claimant", Duration.ofSeconds(60));
    assertThat(operatorWrites(ns, claimed))
        .as("nothing written to the foreign release's namespace")
        .isEmpty();
    assertThat(recordNames(ns)).containsExactly("sh.helm.release.v1." + RELEASE + ".v1");
    assertThat(admin.apps().daemonSets().inNamespace(ns).list().getItems()).hasSize(1);

    release(
        ns,
        "adopter",
        "node-agent",
        r -> {
          r.getSpec().setReleaseName(RELEASE);
          r.getSpec().setAdoptRelease(true);
        });
    awaitReady(ns, "adopter");
    assertThat(releases().inNamespace(ns).withName("adopter").get().getStatus().getRelease())
        .extracting(r -> r.getRevision())
        .as("the adopted release upgraded, not installed anew")
        .isEqualTo(2);
    String uid = releases().inNamespace(ns).withName("adopter").get().getMetadata().getUid();
    assertThat(
            admin
                .secrets()
                .inNamespace(ns)
                .withName("sh.helm.release.v1." + RELEASE + ".v2")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("orderly.dev/owner-uid", uid);

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName("adopter").delete();
    awaitGone(ns, "adopter", Duration.ofMinutes(2));
    List<Entry> deletes = plane.audit().operatorDeletes(deleted);
    Entry daemonSet = AuditLog.deleteOf(deletes, "daemonsets", RELEASE + "-agent");
    Entry binding = AuditLog.deleteOf(deletes, "clusterrolebindings", RELEASE + "-agent");
    assertThat(daemonSet.completedAt()).isBefore(binding.completedAt());
    assertThat(recordNames(ns)).as("every revision's record removed").isEmpty();
  }

  private List<Entry> operatorWrites(String ns, Instant since) {
    return plane
        .audit()
        .matching(
            since,
            e ->
                e.user().equals(ControlPlane.OPERATOR_USER)
                    && e.namespace().equals(ns)
                    && !e.resource().equals("events")
                    && !e.resource().equals("orderedreleases")
                    && List.of("create", "update", "patch", "delete").contains(e.verb()));
  }

  private List<String> recordNames(String ns) {
    return admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems().stream()
        .map(Secret::getMetadata)
        .map(m -> m.getName())
        .sorted()
        .toList();
  }
}
