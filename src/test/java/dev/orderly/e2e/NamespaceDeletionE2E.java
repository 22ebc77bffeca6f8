package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownStep;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
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
  void theNamespaceGoesAndTheReleasesClusterScopedObjectsWithIt() {
    String ns = namespace("e2e-nsdel");
    nodes.probing(pod -> Optional.empty());
    nodes.preStop(pod -> Duration.ofSeconds(2));
    release(ns, NAME, "node-agent", r -> {});
    awaitReady(ns, NAME);
    awaitRunningPods(ns, "app.kubernetes.io/instance", NAME, 3);
    assertThat(admin.rbac().clusterRoles().withName(NAME + "-agent").get()).isNotNull();

    admin.namespaces().withName(ns).delete();

    AtomicReference<String> hookMessage = new AtomicReference<>();
    Awaitility.await("the namespace is gone; operator log: " + operator.log())
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              OrderedRelease release = releases().inNamespace(ns).withName(NAME).get();
              skippedHook(release).ifPresent(hookMessage::set);
              return admin.namespaces().withName(ns).get() == null;
            });

    // Which one depends on whether the namespace controller removed Helm's record before the
    // teardown read it: either the hook was refused, or it could not even be known.
    assertThat(hookMessage.get())
        .as("status said the pre-delete hook could not run")
        .containsAnyOf("is being deleted", "hooks could not be known or run");
    assertThat(admin.rbac().clusterRoles().withName(NAME + "-agent").get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName(NAME + "-agent").get()).isNull();
    // Events cannot be recorded in a namespace being deleted either; the operator's log and the
    // status (read above while it existed) are what can tell.
  }

  private static Optional<String> skippedHook(OrderedRelease release) {
    if (release == null
        || release.getStatus() == null
        || release.getStatus().getTeardown() == null) {
      return Optional.empty();
    }
    return release.getStatus().getTeardown().getSteps().stream()
        .filter(
            s ->
                (s.isHook() && s.getState() == TeardownStep.State.Skipped)
                    || "Release".equals(s.getKind()) && s.getMessage() != null)
        .map(TeardownStep::getMessage)
        .findFirst();
  }
}
