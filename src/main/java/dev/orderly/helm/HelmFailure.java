package dev.orderly.helm;

/**
 * A failure to prepare or apply a release, with the condition reason that explains it and whether
 * only a change of spec or of the cluster can fix it (Stalled) rather than a retry. Its message
 * goes into conditions and Events, so Helm's command-line advice is taken out of it.
 */
public class HelmFailure extends RuntimeException {
  private final String reason;
  private final boolean stalled;

  public HelmFailure(String reason, String message, boolean stalled) {
    super(HelmMessages.withoutCliAdvice(message));
    this.reason = reason;
    this.stalled = stalled;
  }

  public HelmFailure(String reason, String message, boolean stalled, Throwable cause) {
    super(HelmMessages.withoutCliAdvice(message), cause);
    this.reason = reason;
    this.stalled = stalled;
  }

  /** The condition reason, one of {@code ConditionTypes.Reasons}. */
  public String reason() {
    return reason;
  }

  /** True when retrying alone will not help: the spec or the cluster must change. */
  public boolean stalled() {
    return stalled;
  }
}
