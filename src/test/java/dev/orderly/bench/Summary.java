package dev.orderly.bench;

import dev.orderly.api.TeardownPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Figures derived from a {@link TeardownRun}: phase and hook statistics, request means. */
final class Summary {
  private Summary() {}

  /** Per phase, the statistics of its duration over the run's releases. */
  static Map<TeardownPhase, Stats> phases(TeardownRun run) {
    Map<TeardownPhase, Stats> result = new EnumMap<>(TeardownPhase.class);
    for (TeardownPhase phase : TeardownPhase.values()) {
      List<Duration> values = new ArrayList<>();
      run.timelines().forEach(t -> values.add(t.phases().get(phase)));
      values.removeIf(v -> v == null);
      if (!values.isEmpty()) {
        result.put(phase, Stats.ofDurations(values));
      }
    }
    return result;
  }

  /** Per pre-delete hook kind, from its start to the next hook's start (or the phase's end). */
  static Map<String, Stats> hooks(TeardownRun run) {
    Map<String, List<Duration>> values = new LinkedHashMap<>();
    run.timelines()
        .forEach(
            t ->
                t.hooks()
                    .forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
    Map<String, Stats> result = new LinkedHashMap<>();
    values.forEach((k, v) -> result.put(k, Stats.ofDurations(v)));
    return result;
  }

  static Stats pickup(TeardownRun run) {
    return Stats.ofDurations(run.timelines().stream().map(PhaseTimeline::pickup).toList());
  }

  static Stats finalizerRemoval(TeardownRun run) {
    return Stats.ofDurations(
        run.timelines().stream().map(PhaseTimeline::finalizerRemoval).toList());
  }

  /** The median number of the operator's requests per teardown. */
  static double requestsMedian(TeardownRun run) {
    return Stats.ofMillis(run.tallies().stream().map(t -> (double) t.total()).toList()).medianMs();
  }

  /** Mean requests per teardown, by category and sender. */
  static Map<RequestAudit.Category, Map<RequestAudit.Sender, Double>> requestMeans(
      TeardownRun run) {
    Map<RequestAudit.Category, Map<RequestAudit.Sender, Double>> means = new LinkedHashMap<>();
    int n = Math.max(1, run.tallies().size());
    for (RequestAudit.Category category : RequestAudit.Category.values()) {
      Map<RequestAudit.Sender, Double> bySender = new EnumMap<>(RequestAudit.Sender.class);
      for (RequestAudit.Sender sender : RequestAudit.Sender.values()) {
        double sum =
            run.tallies().stream()
                .mapToInt(t -> t.counts().getOrDefault(category, Map.of()).getOrDefault(sender, 0))
                .sum();
        if (sum > 0) {
          bySender.put(sender, sum / n);
        }
      }
      if (!bySender.isEmpty()) {
        means.put(category, bySender);
      }
    }
    return means;
  }

  /** Mean requests per teardown of one category, all senders. */
  static double mean(TeardownRun run, RequestAudit.Category category) {
    return requestMeans(run).getOrDefault(category, Map.of()).values().stream()
        .mapToDouble(Double::doubleValue)
        .sum();
  }

  /** Mean of the operator's time inside cleanup() per finished teardown, from its metrics. */
  static double cleanupMsPerTeardown(TeardownRun run) {
    double sum =
        MetricsText.sumMs(
            run.metrics(), "orderly_controller_execution_seconds", "operation=\"cleanup\"");
    return run.finished() == 0 ? Double.NaN : sum / run.finished();
  }
}
