package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.AuditLog.Entry;
import dev.orderly.e2e.NodeStandIn.EndedJobPod;
import dev.orderly.e2e.NodeStandIn.JobPodEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An OrderedRelease deleted while Helm still installs it, on the real control plane: the teardown
 * waits for the install (Helm cannot be interrupted) and then tears down everything the install
 * made, in order, from the settled record.
 */
@RequiresControlPlane
class DeletionDuringInstallE2E extends RealClusterTest {
  private static final String NAME = "slow";

  @Test
  void aDeletionWaitsForTheInstallThenTearsDownWhatItMadeInOrder() {
    String ns = namespace("e2e-midinstall");
    AtomicBoolean held = new AtomicBoolean();
    // The post-install hook holds Helm inside the install for 15 s; every other Job pod ends fast.
    nodes.endingJobPods(
        pod ->
            pod.getMetadata().getName().startsWith(NAME + "-announce")
                    && held.compareAndSet(false, true)
                ? new JobPodEnd(true, Duration.ofSeconds(15))
                : new JobPodEnd(true, Duration.ofSeconds(1)));
    release(ns, NAME, "hook-ordering", r -> {});
    // Helm waits inside the install for its post-install hook.
    awaitJob(ns, NAME + "-announce");

    Instant deleted = Instant.now();
    releases().inNamespace(ns).withName(NAME).delete();
    Awaitility.await("status says the teardown waits for Helm; operator log: " + operator.log())
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> message(ns, NAME, "TearingDown").contains("WaitingForHelmOperation"));
    awaitGone(ns, NAME, Duration.ofMinutes(3));

    EndedJobPod installHook =
        nodes.endedJobPods().stream()
            .filter(p -> p.namespace().equals(ns) && p.pod().startsWith(NAME + "-announce"))
            .findFirst()
            .orElseThrow();
    List<Entry> deletes =
        plane
            .audit()
            .matching(
                deleted,
                e ->
                    e.isDelete()
                        && e.succeeded()
                        && e.namespace().equals(ns)
                        && e.user().equals(ControlPlane.OPERATOR_USER));
    assertThat(deletes).isNotEmpty();
    assertThat(deletes.get(0).completedAt())
        .as("nothing deleted while Helm installed: %s", deletes)
        .isAfter(installHook.at());
    Entry statefulSet = AuditLog.deleteOf(deletes, "statefulsets", NAME + "-db");
    Entry service = AuditLog.deleteOf(deletes, "services", NAME + "-db");
    Entry record = AuditLog.deleteOf(deletes, "secrets", "sh.helm.release.v1." + NAME + ".v1");
    assertThat(statefulSet.completedAt()).isBefore(service.completedAt());
    assertThat(service.completedAt()).isBefore(record.completedAt());
    assertThat(admin.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.services().inNamespace(ns).list().getItems()).isEmpty();
  }
}
