package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishedTeardownsTest {
  private final FinishedTeardowns finished = new FinishedTeardowns();

  @Test
  void aFinishedUidIsRememberedAndOthersAreNot() {
    finished.finished("uid-1");

    assertThat(finished.isFinished("uid-1")).isTrue();
    assertThat(finished.isFinished("uid-2")).isFalse();
    assertThat(finished.isFinished(null)).isFalse();
  }

  @Test
  void aNewObjectOfTheSameNameHasANewUidAndIsTornDown() {
    finished.finished("first-incarnation");

    assertThat(finished.isFinished("second-incarnation")).isFalse();
  }

  @Test
  void onlyTheLatestUidsAreKept() {
    for (int i = 0; i <= FinishedTeardowns.CAPACITY; i++) {
      finished.finished("uid-" + i);
    }

    assertThat(finished.isFinished("uid-0")).as("the eldest, pushed out").isFalse();
    assertThat(finished.isFinished("uid-1")).isTrue();
    assertThat(finished.isFinished("uid-" + FinishedTeardowns.CAPACITY)).isTrue();
  }

  @Test
  void aNullUidIsIgnored() {
    finished.finished(null);

    assertThat(finished.isFinished(null)).isFalse();
  }
}
