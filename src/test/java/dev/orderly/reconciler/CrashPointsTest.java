package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrashPointsTest {
  @Test
  void withoutAPointNothingHalts() {
    CrashPoints none = CrashPoints.parse("");
    assertThatCode(() -> none.reached("before-delete")).doesNotThrowAnyException();
    assertThatCode(() -> CrashPoints.none().reached("after-create-hook"))
        .doesNotThrowAnyException();
  }

  @Test
  void otherPointsAndEarlierOccurrencesPassThrough() {
    CrashPoints third = CrashPoints.parse("after-delete#3");
    // Halting would end this JVM: only what must not halt is exercised here; the end-to-end
    // suite's HardKillE2E proves the halt itself.
    third.reached("before-delete");
    third.reached("after-delete");
    third.reached("after-delete");
    third.reached("after-create-hook");
  }

  @Test
  void aZeroOccurrenceIsRefused() {
    assertThatThrownBy(() -> CrashPoints.parse("before-delete#0"))
        .hasMessageContaining("ORDERLY_CRASH_AT");
  }
}
