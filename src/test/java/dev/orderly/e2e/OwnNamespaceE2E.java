package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orderly.e2e.AuditLog.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A chart that templates a Namespace of its own and has a post-delete hook in it (own-namespace):
 * on the real API server, where nothing can be created in a namespace being deleted, the hook runs
 * and only then does the Namespace go.
 */
@RequiresControlPlane
class OwnNamespaceE2E extends RealClusterTest {
  private static final String NAME = "workspace";
  private static final String GRANT = "orderly-e2e-namespaces";
  private String workspace;

  @AfterAll
  void removeTheWorkspaceIfLeft() {
    if (workspace != null) {
      admin.namespaces().withName(workspace).delete();
    }
    plane.revoke(GRANT);
  }

  @Test
  void thePostDeleteHookRunsInTheNamespaceBeforeTheNamespaceGoes() {
    String ns = namespace("e2e-ownns");
    workspace = ns + "-ws";
    plane.grantToOperator(GRANT, "", "namespaces");
    release(
        ns,
        NAME,
        "own-namespace",
        r ->
            r.getSpec()
                .setValues(new ObjectMapper().createObjectNode().put("namespace", workspace)));
    awaitReady(ns, NAME);
    assertThat(admin.namespaces().withName(workspace).get()).isNotNull();

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(NAME).delete();
    awaitGone(ns, NAME, Duration.ofMinutes(2));

    List<Entry> byOperator =
        plane.audit().since(deleted).stream()
            .filter(e -> e.user().equals(ControlPlane.OPERATOR_USER) && e.succeeded())
            .toList();
    Entry hook =
        byOperator.stream()
            .filter(e -> e.verb().equals("create") && e.resource().equals("jobs"))
            .filter(e -> e.namespace().equals(workspace))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("the post-delete hook was not created: " + byOperator));
    Instant hookEnded =
        nodes.endedJobPods().stream()
            .filter(p -> p.namespace().equals(workspace) && p.succeeded())
            .map(NodeStandIn.EndedJobPod::at)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the post-delete hook's pod never ran"));
    Entry namespaceDeleted = AuditLog.deleteOf(byOperator, "namespaces", workspace);
    assertThat(hook.completedAt()).isBefore(hookEnded);
    assertThat(namespaceDeleted.completedAt())
        .as("the Namespace is deleted after its post-delete hook finished")
        .isAfter(hookEnded);
    assertThat(byOperator)
        .as("every RBAC object in the workspace was deleted before the Namespace")
        .filteredOn(e -> e.isDelete() && e.isRbac() && e.namespace().equals(workspace))
        .allMatch(e -> e.completedAt().isBefore(namespaceDeleted.completedAt()));
  }
}
