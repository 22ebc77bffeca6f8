package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A chart declaring {@code kubeVersion: ">=1.24.0-0"} and calling {@code lookup}, as most current
 * public charts do: the operator renders it for the real cluster's version (1.24), installs it to
 * Ready=True, and its lookup keeps the generated password across an upgrade.
 */
@RequiresControlPlane
class KubeVersionE2E extends RealClusterTest {
  private static final String NAME = "versioned";

  @Test
  void aChartRequiringKubernetes124InstallsAndItsLookupKeepsThePassword() {
    String ns = namespace("e2e-kubeversion");
    release(ns, NAME, "kube-version", r -> {});
    awaitReady(ns, NAME);
    String password = password(ns);
    assertThat(password).isNotBlank();

    releases()
        .inNamespace(ns)
        .withName(NAME)
        .edit(
            r -> {
              r.getSpec()
                  .setValues(
                      new com.fasterxml.jackson.databind.ObjectMapper()
                          .createObjectNode()
                          .put("replicas", 1));
              return r;
            });
    awaitRevision(ns, 2);
    assertThat(password(ns)).as("the password lookup found and kept").isEqualTo(password);

    releases().inNamespace(ns).withName(NAME).delete();
    awaitGone(ns, NAME, Duration.ofMinutes(2));
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
  }

  private String password(String ns) {
    return admin.secrets().inNamespace(ns).list().getItems().stream()
        .filter(s -> !"helm.sh/release.v1".equals(s.getType()))
        .map(Secret::getData)
        .filter(data -> data != null && !data.isEmpty())
        .map(data -> data.values().iterator().next())
        .findFirst()
        .orElse("");
  }

  private void awaitRevision(String ns, int revision) {
    org.awaitility.Awaitility.await("revision " + revision + "; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              var release = releases().inNamespace(ns).withName(NAME).get();
              return release.getStatus() != null
                  && release.getStatus().getRelease() != null
                  && Integer.valueOf(revision)
                      .equals(release.getStatus().getRelease().getRevision())
                  && "True".equals(condition(ns, NAME, "Ready"));
            });
  }
}
