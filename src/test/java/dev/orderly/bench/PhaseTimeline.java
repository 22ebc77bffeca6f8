package dev.orderly.bench;

import dev.orderly.api.TeardownPhase;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One release's teardown as its Events tell it, with the moments the benchmark saw: delete sent,
 * each phase started ({@code TeardownPhaseStarted}), each hook started, teardown complete, and the
 * object gone. The operator stamps Events with its clock (microseconds), the benchmark with the
 * same system clock, so the differences are comparable.
 *
 * @param pickup from the delete request to the first phase's start (queueing and the first look)
 * @param phases how long each phase took, start to the next phase's start
 * @param hooks from each pre-delete hook's start to the next hook's start (or the phase's end)
 * @param finalizerRemoval from {@code TeardownComplete} to the object seen gone
 * @param total from the delete request to the object seen gone
 */
record PhaseTimeline(
    Duration pickup,
    Map<TeardownPhase, Duration> phases,
    Map<String, Duration> hooks,
    Duration finalizerRemoval,
    Duration total) {

  static final String PHASE_STARTED = "TeardownPhaseStarted";
  static final String COMPLETE = "TeardownComplete";
  private static final String HOOK_PREFIX = "running pre-delete hook ";

  /** The timeline from the release's Events, or null when they are incomplete. */
  static PhaseTimeline of(List<Event> events, Instant deleteSent, Instant gone) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparing((Event e) -> Instant.parse(e.getFirstTimestamp()))
            .thenComparing(e -> e.getMetadata().getName()));
    Map<TeardownPhase, Instant> starts = new EnumMap<>(TeardownPhase.class);
    Map<String, Instant> hookStarts = new LinkedHashMap<>();
    Instant complete = null;
    for (Event event : sorted) {
      Instant at = Instant.parse(event.getFirstTimestamp());
      if (at.isBefore(deleteSent)) {
        continue;
      }
      String message = event.getMessage() == null ? "" : event.getMessage();
      if (PHASE_STARTED.equals(event.getReason())) {
        String phase = message.substring(message.lastIndexOf(' ') + 1);
        starts.putIfAbsent(TeardownPhase.valueOf(phase), at);
      } else if (COMPLETE.equals(event.getReason())) {
        complete = at;
      } else if (message.startsWith(HOOK_PREFIX)) {
        String hook = message.substring(HOOK_PREFIX.length());
        hookStarts.putIfAbsent(hook.substring(0, hook.indexOf(' ')), at);
      }
    }
    if (complete == null || !starts.containsKey(TeardownPhase.PreDeleteHooks) || gone == null) {
      return null;
    }
    Map<TeardownPhase, Duration> phases = new EnumMap<>(TeardownPhase.class);
    for (TeardownPhase phase : TeardownPhase.values()) {
      Instant start = starts.get(phase);
      if (phase == TeardownPhase.Done || start == null) {
        continue;
      }
      Instant end = phase.next() == TeardownPhase.Done ? complete : starts.get(phase.next());
      phases.put(phase, Duration.between(start, end == null ? complete : end));
    }
    Map<String, Duration> hooks = new LinkedHashMap<>();
    List<Map.Entry<String, Instant>> hookList = new ArrayList<>(hookStarts.entrySet());
    Instant hooksEnd = starts.getOrDefault(TeardownPhase.CustomResources, complete);
    for (int i = 0; i < hookList.size(); i++) {
      Instant end = i + 1 < hookList.size() ? hookList.get(i + 1).getValue() : hooksEnd;
      hooks.put(hookList.get(i).getKey(), Duration.between(hookList.get(i).getValue(), end));
    }
    return new PhaseTimeline(
        Duration.between(deleteSent, starts.get(TeardownPhase.PreDeleteHooks)),
        phases,
        hooks,
        Duration.between(complete, gone),
        Duration.between(deleteSent, gone));
  }
}
