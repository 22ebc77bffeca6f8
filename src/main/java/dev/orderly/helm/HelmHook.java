package dev.orderly.helm;

import java.util.List;

/**
 * One hook of a Helm release as Helm stores it; lists are never null and are stored as read, so an
 * empty {@code deletePolicies} means Helm's default rather than "none". {@code weight} is 64 bits
 * wide, as Go's {@code int} on the platforms Helm ships for.
 */
public record HelmHook(
    String name,
    String kind,
    String path,
    String manifest,
    List<String> events,
    long weight,
    List<String> deletePolicies) {

  public static final String PRE_DELETE = "pre-delete";
  public static final String POST_DELETE = "post-delete";

  public static final String BEFORE_HOOK_CREATION = "before-hook-creation";
  public static final String HOOK_SUCCEEDED = "hook-succeeded";
  public static final String HOOK_FAILED = "hook-failed";

  public HelmHook {
    events = events == null ? List.of() : List.copyOf(events);
    deletePolicies = deletePolicies == null ? List.of() : List.copyOf(deletePolicies);
  }

  /**
   * The policies Helm acts on: the stored ones, or {@code before-hook-creation} when none are
   * stored, because Helm fills that default in when it runs the hook (pkg/action/hooks.go).
   */
  public List<String> effectiveDeletePolicies() {
    return deletePolicies.isEmpty() ? List.of(BEFORE_HOOK_CREATION) : deletePolicies;
  }

  /** Whether Helm would delete this hook's object on {@code policy}, defaults included. */
  public boolean deletesOn(String policy) {
    return effectiveDeletePolicies().contains(policy);
  }

  /** Whether the hook runs on {@code event}, such as {@link #PRE_DELETE}. */
  public boolean runsOn(String event) {
    return events.contains(event);
  }
}
