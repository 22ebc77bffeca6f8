package dev.orderly.dependencies;

import static dev.orderly.dependencies.Graphs.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.dependencies.DependencyGraph.TeardownVerdict;
import dev.orderly.dependencies.DependentsWait.Action;
import dev.orderly.dependencies.DependentsWait.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The wait before phase 1: escape hatches, the timeout and onTimeout. */
class DependentsWaitTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TIMEOUT = Duration.ofMinutes(30);
  private static final TeardownVerdict WAIT =
      new TeardownVerdict.WaitForDependents(keys("app,x/web"));
  private static final TeardownVerdict CYCLE = new TeardownVerdict.Cycle(keys("a,b,a"), keys("b"));

  static Stream<Arguments> decisions() {
    return Stream.of(
        // verdict, waited so far (null: not yet), onTimeout, force, waitForDependents,
        // then: action, reason, Stalled, recheck after
        row(
            new TeardownVerdict.Proceed(),
            null,
            OnTimeout.Fail,
            false,
            true,
            Action.Begin,
            null,
            false,
            null),
        row(
            new TeardownVerdict.Proceed(),
            Duration.ofMinutes(5),
            OnTimeout.Fail,
            false,
            true,
            Action.Begin,
            null,
            false,
            null),
        row(
            WAIT,
            null,
            OnTimeout.Fail,
            false,
            true,
            Action.Wait,
            "WaitingForDependents",
            false,
            TIMEOUT),
        row(
            WAIT,
            Duration.ofMinutes(10),
            OnTimeout.Fail,
            false,
            true,
            Action.Wait,
            "WaitingForDependents",
            false,
            Duration.ofMinutes(20)),
        row(
            WAIT,
            TIMEOUT,
            OnTimeout.Fail,
            false,
            true,
            Action.Wait,
            "DependentsTimedOut",
            true,
            null),
        row(
            WAIT,
            TIMEOUT,
            OnTimeout.Continue,
            false,
            true,
            Action.Begin,
            "DependentsTimedOut",
            false,
            null),
        row(WAIT, null, OnTimeout.Fail, true, true, Action.Begin, "Forced", false, null),
        row(
            WAIT,
            Duration.ofMinutes(3),
            OnTimeout.Fail,
            false,
            false,
            Action.Begin,
            "Forced",
            false,
            null),
        row(
            CYCLE,
            null,
            OnTimeout.Fail,
            false,
            true,
            Action.Wait,
            "DependencyCycle",
            true,
            TIMEOUT),
        row(
            CYCLE,
            TIMEOUT.plusSeconds(1),
            OnTimeout.Continue,
            false,
            true,
            Action.Begin,
            "DependentsTimedOut",
            false,
            null),
        row(CYCLE, null, OnTimeout.Fail, true, true, Action.Begin, "Forced", false, null));
  }

  @SuppressWarnings("checkstyle:ParameterNumber")
  private static Arguments row(
      TeardownVerdict verdict,
      Duration waited,
      OnTimeout onTimeout,
      boolean force,
      boolean waitForDependents,
      Action action,
      String reason,
      boolean stalled,
      Duration recheck) {
    return Arguments.of(
        verdict, waited, onTimeout, force, waitForDependents, action, reason, stalled, recheck);
  }

  @ParameterizedTest(name = "[{index}] {0} waited {1} {2} force={3} wait={4} → {5} {6}")
  @MethodSource("decisions")
  void decides(
      TeardownVerdict verdict,
      Duration waited,
      OnTimeout onTimeout,
      boolean force,
      boolean waitForDependents,
      Action action,
      String reason,
      boolean stalled,
      Duration recheck) {
    Instant now = waited == null ? T0 : T0.plus(waited);
    Decision decision =
        DependentsWait.decide(
            new DependentsWait.Input(
                verdict,
                waited == null ? null : T0,
                now,
                TIMEOUT,
                onTimeout,
                force,
                waitForDependents));
    assertThat(decision.action()).isEqualTo(action);
    assertThat(decision.reason()).isEqualTo(reason);
    assertThat(decision.stalled()).isEqualTo(stalled);
    assertThat(decision.recheckAfter()).isEqualTo(recheck);
    if (action == Action.Wait) {
      assertThat(decision.startedAt()).as("the start is kept, not moved").isEqualTo(T0);
    } else {
      assertThat(decision.startedAt()).isNull();
    }
    if (reason != null && !reason.equals("WaitingForDependents")) {
      assertThat(decision.warning()).isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void messagesNameTheDependentsAndTheWayOut() {
    Decision waiting =
        DependentsWait.decide(
            new DependentsWait.Input(WAIT, null, T0, TIMEOUT, OnTimeout.Fail, false, true));
    assertThat(waiting.message())
        .isEqualTo(
            "waiting for the dependent OrderedReleases ns/app, x/web to be deleted first"
                + " (uninstall.dependentsTimeout 30m)");
    Decision timedOut =
        DependentsWait.decide(
            new DependentsWait.Input(
                WAIT, T0, T0.plus(TIMEOUT), TIMEOUT, OnTimeout.Fail, false, true));
    assertThat(timedOut.message())
        .isEqualTo(
            "waited 30m (uninstall.dependentsTimeout) for the dependent OrderedReleases ns/app,"
                + " x/web; still waiting (onTimeout: Fail): delete them, or annotate"
                + " orderly.dev/force or set uninstall.waitForDependents: false to tear this"
                + " release down first");
    Decision cycle =
        DependentsWait.decide(
            new DependentsWait.Input(CYCLE, null, T0, TIMEOUT, OnTimeout.Fail, false, true));
    assertThat(cycle.message()).startsWith("dependency cycle ns/a → ns/b → ns/a:");
  }
}
