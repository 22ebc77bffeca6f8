package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.api.UninstallOptions.Propagation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link PhaseDecider} needs to decide one phase: the persisted steps, what was observed
 * of their objects, the clock's reading and the user's options.
 *
 * @param steps the whole step list; the decider updates the current phase's steps in place
 * @param observed observations by index into {@code steps}; a missing entry means absent
 * @param keepHistory keep Helm's record, marked uninstalled, rather than remove it
 * @param objectDeadline when the current object phase runs out of time (spec.uninstall.timeout
 *     after CustomResources began, shared up to Release; after Namespaces began, for Namespaces)
 * @param force orderly.dev/force: stop waiting and go straight on
 * @param skipHooks orderly.dev/skip-hooks: run no more hooks
 */
public record PhaseInput(
    TeardownPhase phase,
    List<TeardownStep> steps,
    Map<Integer, Observed> observed,
    boolean keepHistory,
    Instant now,
    Instant objectDeadline,
    Duration hookTimeout,
    OnTimeout onTimeout,
    Propagation propagation,
    boolean force,
    boolean skipHooks) {

  /** What was observed for step {@code index}; absent when nothing was recorded. */
  Observed observation(int index) {
    return observed.getOrDefault(index, Observed.absent());
  }
}
