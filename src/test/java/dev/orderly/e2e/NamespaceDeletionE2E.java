package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl delete namespace} of a namespace that holds an OrderedRelease and its release: the
 * namespace lifecycle forbids creating the pre-delete hook there, and the namespace controller
 * removes the namespaced objects itself. The teardown must not hold the namespace forever: it says
 * which hook could not run, still removes the release's cluster-scoped objects, and lets go.
 */
@RequiresControlPlane
class NamespaceDeletionE2E extends RealClusterTest {
  private static final String NAME = "agent-nsdel";

  @Test
  void theNamespaceGoesAndTheReleasesClusterScopedObjectsWithIt() throws Exception {
    String ns = namespace("e2e-nsdel");
    nodes.probing(pod -> Optional.empty());
    nodes.preStop(pod -> Duration.ofSeconds(2));
    release(ns, NAME, "node-agent", r -> {});
    awaitReady(ns, NAME);
    awaitRunningPods(ns, "app.kubernetes.io/instance", NAME, 3);
    assertThat(admin.rbac().clusterRoles().withName(NAME + "-agent").get()).isNotNull();

    admin.namespaces().withName(ns).delete();

    Awaitility.await("the namespace is gone; operator log: " + operator.log())
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> admin.namespaces().withName(ns).get() == null);

    assertThat(admin.rbac().clusterRoles().withName(NAME + "-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName(NAME + "-agent").get()).isNull();
    // Whether the namespace controller removed Helm's record before the teardown read it is a
    // race: either the hook was refused, or it could not even be known. Events cannot be created
    // in a namespace being deleted, and the status goes with the object, so the operator logs
    // what it could not record.
    assertThat(Files.readString(operator.log()))
        .as("the operator said the pre-delete hook could not run")
        .containsAnyOf(
            "is being deleted; nothing can be created in it", "its hooks cannot be known or run");
  }
}
