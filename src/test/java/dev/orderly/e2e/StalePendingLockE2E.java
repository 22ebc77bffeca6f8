package dev.orderly.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.e2e.NodeStandIn.JobPodEnd;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The operator killed in the middle of a Helm install, on the real control plane: Helm's record
 * stays {@code pending-install}, which would refuse every later install as "another operation is in
 * progress". Once the record has been pending for longer than the install's timeout, Orderly
 * recovers the lock and installs again, and says so.
 */
@RequiresControlPlane
class StalePendingLockE2E extends RealClusterTest {
  private static final String NAME = "locked";

  @Test
  void anInstallCutShortByAKillIsRecoveredOnceItsLockIsStale() {
    String ns = namespace("e2e-lock");
    AtomicInteger announcePods = new AtomicInteger();
    // The first post-install hook never ends while the operator lives; later ones end at once.
    nodes.endingJobPods(
        pod ->
            pod.getMetadata().getName().startsWith(NAME + "-announce")
                    && announcePods.incrementAndGet() == 1
                ? new JobPodEnd(true, Duration.ofMinutes(10))
                : new JobPodEnd(true, Duration.ofSeconds(1)));
    release(ns, NAME, "hook-ordering", r -> r.getSpec().getInstall().setTimeout("15s"));
    // Helm waits inside the install for its post-install hook.
    awaitJob(ns, NAME + "-announce");
    operator.kill();
    assertThat(record(ns).getMetadata().getLabels()).containsEntry("status", "pending-install");

    operator.start();
    awaitReady(ns, NAME);
    assertThat(record(ns).getMetadata().getLabels()).containsEntry("status", "deployed");
    List<Event> events =
        admin.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> "StaleLockRecovered".equals(e.getReason()))
            .toList();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getType()).isEqualTo("Warning");
    assertThat(events.get(0).getMessage()).contains("pending-install");
  }

  private Secret record(String ns) {
    List<Secret> records =
        admin.secrets().inNamespace(ns).withLabel("owner", "helm").list().getItems();
    assertThat(records).hasSize(1);
    return records.get(0);
  }
}
