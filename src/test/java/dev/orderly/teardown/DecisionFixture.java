package dev.orderly.teardown;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.UninstallOptions.OnTimeout;
import dev.orderly.api.UninstallOptions.Propagation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps, observations, time and options one next-step decision is made from, and helpers to set
 * them.
 */
abstract class DecisionFixture {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  final List<TeardownStep> steps = new ArrayList<>();
  final Map<Integer, Observed> observed = new HashMap<>();
  Instant now = T0;
  Instant deadline = T0.plus(Duration.ofMinutes(10));
  OnTimeout onTimeout = OnTimeout.Fail;
  boolean force;
  boolean skipHooks;
  boolean keepHistory;

  TeardownStep record() {
    TeardownStep step = object(TeardownPhase.Release, "Release", "agent");
    step.setApiVersion(PlannedStep.RELEASE_API_VERSION);
    return step;
  }

  TeardownStep hook(String kind, String name, List<String> policies) {
    TeardownStep step = object(TeardownPhase.PreDeleteHooks, kind, name);
    step.setDeletePolicies(policies);
    return step;
  }

  TeardownStep object(TeardownPhase phase, String kind, String name) {
    TeardownStep step = new TeardownStep();
    step.setPhase(phase);
    step.setKind(kind);
    step.setNamespace("apps");
    step.setName(name);
    steps.add(step);
    return step;
  }

  PhaseDecision decide(TeardownPhase phase) {
    return PhaseDecider.decide(
        new PhaseInput(
            phase,
            steps,
            observed,
            keepHistory,
            now,
            deadline,
            Duration.ofMinutes(5),
            onTimeout,
            Propagation.Foreground,
            force,
            skipHooks));
  }
}
