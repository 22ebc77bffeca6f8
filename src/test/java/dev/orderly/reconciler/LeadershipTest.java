package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A lost Lease is told apart from a stop that was asked for, and is never missed. */
class LeadershipTest {

  @Test
  void losingTheLeaseWhileRunningRunsTheReaction() {
    AtomicInteger reactions = new AtomicInteger();
    Leadership leadership = new Leadership("orderly-a", false);
    leadership.onLost(reactions::incrementAndGet);

    leadership.started();
    assertThat(leadership.leading()).isTrue();
    leadership.stopped();

    assertThat(leadership.leading()).isFalse();
    assertThat(reactions).hasValue(1);
  }

  @Test
  void stoppingToLeadBecauseOfAStopIsNoLoss() {
    AtomicInteger reactions = new AtomicInteger();
    Leadership leadership = new Leadership("orderly-a", false);
    leadership.onLost(reactions::incrementAndGet);
    leadership.started();

    leadership.closing();
    leadership.stopped();

    assertThat(leadership.leading()).isFalse();
    assertThat(reactions).hasValue(0);
    assertThat(leadership.lostLease()).isNotDone();
  }

  @Test
  void aLossBeforeAnyoneListensIsReportedToTheFirstListener() {
    AtomicInteger reactions = new AtomicInteger();
    Leadership leadership = new Leadership("orderly-a", false);
    leadership.started();
    leadership.stopped();

    leadership.onLost(reactions::incrementAndGet);

    assertThat(reactions).hasValue(1);
  }

  @Test
  void withoutElectionTheReplicaLeads() {
    assertThat(new Leadership("orderly-a", true).leading()).isTrue();
  }
}
