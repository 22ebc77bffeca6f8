package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stalled phase is ServiceAccountForbidden only when every refusal was the account's. */
class RefusalReasonTest {
  private static final String ACCOUNT =
      "could not be deleted: ServiceAccount team-a/deployer may not delete daemonsets.apps in the"
          + " namespace team-a";
  private static final String OPERATOR =
      "could not be deleted: the operator may not delete daemonsets.apps. Add the kind to the"
          + " operator chart's rbac.releaseObjectRules";

  @Test
  void theAccountsRefusalsAloneStallAsServiceAccountForbidden() {
    assertThat(PhaseDecider.refusalReason(steps(ACCOUNT))).isEqualTo("ServiceAccountForbidden");
    assertThat(PhaseDecider.refusalReason(steps(ACCOUNT, ACCOUNT)))
        .isEqualTo("ServiceAccountForbidden");
    assertThat(PhaseDecider.refusalReason(steps(ACCOUNT, OPERATOR))).isEqualTo("DeleteRefused");
    assertThat(PhaseDecider.refusalReason(steps(OPERATOR))).isEqualTo("DeleteRefused");
    assertThat(PhaseDecider.refusalReason(steps("could not be deleted: 422 invalid")))
        .isEqualTo("DeleteRefused");
  }

  private static List<TeardownStep> steps(String... messages) {
    return Arrays.stream(messages)
        .map(
            message -> {
              TeardownStep step = new TeardownStep();
              step.setPhase(TeardownPhase.DaemonSets);
              step.setState(TeardownStep.State.Failed);
              step.setMessage(message);
              return step;
            })
        .toList();
  }
}
