package dev.orderly.reconciler;

import dev.orderly.api.OrderedReleaseStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Sets conditions as Kubernetes API conventions ask: one per type, {@code lastTransitionTime}
 * moving only when the status value changes, {@code observedGeneration} always current.
 */
public final class StatusConditions {
  private final OrderedReleaseStatus status;
  private final Long generation;
  private final Clock clock;

  public StatusConditions(OrderedReleaseStatus status, Long generation, Clock clock) {
    this.status = status;
    this.generation = generation;
    this.clock = clock;
  }

  public StatusConditions setTrue(String type, String reason, String message) {
    return set(type, "True", reason, message);
  }

  public StatusConditions setFalse(String type, String reason, String message) {
    return set(type, "False", reason, message);
  }

  public StatusConditions setUnknown(String type, String reason, String message) {
    return set(type, "Unknown", reason, message);
  }

  /**
   * Records that the operator has looked at the current generation: {@code
   * status.observedGeneration} and every condition's {@code observedGeneration} follow it, so
   * kstatus never reads the conditions as stale once they have been re-evaluated.
   */
  public StatusConditions observeGeneration() {
    status.setObservedGeneration(generation);
    status.getConditions().forEach(condition -> condition.setObservedGeneration(generation));
    return this;
  }

  /** Removes the condition; kstatus reads an absent Stalled or Reconciling as False. */
  public StatusConditions remove(String type) {
    status.getConditions().removeIf(c -> type.equals(c.getType()));
    return this;
  }

  /** The condition of {@code type}, if present. */
  public static Optional<Condition> find(OrderedReleaseStatus status, String type) {
    if (status == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Whether the condition of {@code type} is present with status True. */
  public static boolean isTrue(OrderedReleaseStatus status, String type) {
    return find(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private StatusConditions set(String type, String value, String reason, String message) {
    Optional<Condition> existing = find(status, type);
    String transition =
        existing
            .filter(c -> value.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    Condition condition =
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build();
    existing.ifPresentOrElse(
        old -> status.getConditions().set(status.getConditions().indexOf(old), condition),
        () -> status.getConditions().add(condition));
    return this;
  }
}
