package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.UninstallOptions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The move to the next phase both drivers share: the phase and its start, how long the finished one
 * took, and the deadlines (one for the object phases from CustomResources on, one of its own for
 * Namespaces).
 */
class TeardownEngineAdvanceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = START.plusSeconds(42);

  @ParameterizedTest
  @CsvSource({
    // finished,          deadline before,          next,              deadline after
    "PreDeleteHooks,      ,                         CustomResources,   2026-01-01T00:03:42Z",
    "CustomResources,     2026-01-01T00:03:00Z,     Admission,         2026-01-01T00:03:00Z",
    "Rbac,                2026-01-01T00:03:00Z,     Release,           2026-01-01T00:03:00Z",
    "PostDeleteHooks,     2026-01-01T00:03:00Z,     Namespaces,        2026-01-01T00:03:42Z",
    "Namespaces,          2026-01-01T00:03:42Z,     Done,              2026-01-01T00:03:42Z",
  })
  void movesOnAndStartsTheDeadlines(
      TeardownPhase finished, String deadlineBefore, TeardownPhase next, String deadlineAfter) {
    TeardownStatus teardown = new TeardownStatus();
    teardown.setPhase(finished);
    teardown.setPhaseStartedAt(START.toString());
    teardown.setDeadline(deadlineBefore);
    UninstallOptions options = new UninstallOptions();
    options.setTimeout("3m");

    Duration took = TeardownEngine.advance(teardown, options, NOW);

    assertThat(took).isEqualTo(Duration.ofSeconds(42));
    assertThat(teardown.getPhase()).isEqualTo(next);
    assertThat(teardown.getPhaseStartedAt()).isEqualTo(NOW.toString());
    assertThat(teardown.getDeadline()).isEqualTo(Instant.parse(deadlineAfter).toString());
  }

  @Test
  void theDefaultTimeoutIsTenMinutes() {
    TeardownStatus teardown = new TeardownStatus();
    teardown.setPhase(TeardownPhase.PreDeleteHooks);
    teardown.setPhaseStartedAt(START.toString());

    TeardownEngine.advance(teardown, new UninstallOptions(), NOW);

    assertThat(teardown.getDeadline()).isEqualTo(NOW.plus(Duration.ofMinutes(10)).toString());
  }
}
