package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.reconciler.HelmOperations.Finished;
import dev.orderly.reconciler.HelmOperations.Idle;
import dev.orderly.reconciler.HelmOperations.Running;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A teardown is planned only once no install or upgrade of this process runs. */
class DeletionGateTest {
  @Test
  void waitsForAnInstallOrUpgradeInProgressBeforePlanning() {
    assertThat(DeletionGate.waitingFor(false, new Running("d"), false))
        .contains(
            "waiting for the Helm install in progress to finish before planning the teardown");
    assertThat(DeletionGate.waitingFor(false, new Running("d"), true))
        .contains(
            "waiting for the Helm upgrade in progress to finish before planning the teardown");
  }

  @Test
  void plansAtOnceWhenNothingRunsOrTheOperationEnded() {
    assertThat(DeletionGate.waitingFor(false, new Idle(), false)).isEmpty();
    assertThat(
            DeletionGate.waitingFor(
                false, new Finished("d", null, Optional.empty(), 1, Instant.EPOCH, false), true))
        .isEmpty();
  }

  @Test
  void aTeardownAlreadyPlannedGoesOn() {
    assertThat(DeletionGate.waitingFor(true, new Running("d"), false)).isEmpty();
  }
}
