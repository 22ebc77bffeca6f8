package dev.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Summary of a set of durations in milliseconds: count, median, p99 (nearest rank), max and mean.
 */
record Stats(int count, double medianMs, double p99Ms, double maxMs, double meanMs) {

  static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static Stats ofDurations(Collection<Duration> durations) {
    return ofMillis(durations.stream().map(d -> d.toNanos() / 1e6).toList());
  }

  static Stats ofMillis(Collection<Double> values) {
    if (values.isEmpty()) {
      return EMPTY;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    double sum = sorted.stream().mapToDouble(Double::doubleValue).sum();
    return new Stats(
        sorted.size(),
        percentile(sorted, 50),
        percentile(sorted, 99),
        sorted.get(sorted.size() - 1),
        sum / sorted.size());
  }

  /** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** Milliseconds for a table: one decimal under 100 ms, whole numbers above. */
  static String ms(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (value >= 10_000) {
      return String.format("%.1f s", value / 1000);
    }
    return value < 100 ? String.format("%.1f ms", value) : String.format("%.0f ms", value);
  }
}
