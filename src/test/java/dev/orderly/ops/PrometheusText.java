package dev.orderly.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Samples parsed from Prometheus' text exposition format: each line that is no comment maps its
 * series, e.g. {@code orderly_reconciliations_total{outcome="success"}}, to its value.
 */
record PrometheusText(String text, Map<String, Double> samples) {
  static PrometheusText parse(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new PrometheusText(text, Map.copyOf(samples));
  }

  /** The value of {@code series}, if it was exposed. */
  OptionalDouble value(String series) {
    Double value = samples.get(series);
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** The value of {@code series}, or an AssertionError that shows what was exposed. */
  double valueOf(String series) {
    Double value = samples.get(series);
    if (value == null) {
      throw new AssertionError("no sample " + series + " in:\n" + text);
    }
    return value;
  }

  @Override
  public String toString() {
    return text;
  }
}
