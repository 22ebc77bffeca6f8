package dev.orderly.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether every object of a release revision is ready, which ones are not, and when to look again.
 * A pure function of what was read, the time and the deadline; nothing here waits.
 */
public final class ReleaseReadiness {
  /**
   * How often to look while waiting for what no informer reports (claims, Services, custom
   * resources); workload changes wake the release at once.
   */
  public static final Duration POLL = Duration.ofSeconds(15);

  private static final int NAMED = 5;

  private ReleaseReadiness() {}

  /**
   * One object of the release: how to name it, and its live state (null when it is absent), or why
   * it could not be read (e.g. the operator may not get that kind).
   */
  public record Observed(String describe, JsonNode live, String unreadable) {
    public Observed(String describe, JsonNode live) {
      this(describe, live, null);
    }
  }

  /**
   * The assessment of a revision's objects.
   *
   * @param total how many objects the revision has
   * @param notReady "Kind namespace/name (why)" for each object that is not ready, in manifest
   *     order
   * @param timedOut not ready by the deadline
   * @param recheckAfter when to look again while waiting; null when ready or timed out
   */
  public record Assessment(
      int total, List<String> notReady, boolean timedOut, Duration recheckAfter) {
    public boolean ready() {
      return notReady.isEmpty();
    }

    /** "2 of 6 objects not ready: A (why); B (why)", naming at most five. */
    public String describeNotReady() {
      StringBuilder text =
          new StringBuilder(notReady.size() + " of " + total + " objects not ready: ");
      for (int i = 0; i < notReady.size(); i++) {
        if (i == NAMED) {
          text.append("; and ").append(notReady.size() - NAMED).append(" more");
          break;
        }
        text.append(i == 0 ? "" : "; ").append(notReady.get(i));
      }
      return text.toString();
    }
  }

  /** Assesses {@code objects} at {@code now} against {@code deadline}. */
  public static Assessment assess(List<Observed> objects, Instant now, Instant deadline) {
    List<String> notReady = new ArrayList<>();
    for (Observed object : objects) {
      Verdict verdict =
          object.unreadable() != null
              ? Verdict.notReady("cannot be read: " + object.unreadable())
              : object.live() == null
                  ? Verdict.notReady("not found")
                  : ObjectReadiness.assess(object.live());
      if (!verdict.ready()) {
        notReady.add(object.describe() + " (" + verdict.why() + ")");
      }
    }
    if (notReady.isEmpty()) {
      return new Assessment(objects.size(), List.of(), false, null);
    }
    boolean timedOut = !now.isBefore(deadline);
    Duration left = Duration.between(now, deadline);
    Duration recheck = timedOut ? null : left.compareTo(POLL) < 0 ? left : POLL;
    return new Assessment(objects.size(), List.copyOf(notReady), timedOut, recheck);
  }
}
