package dev.orderly.bench;

import java.util.OptionalDouble;

/** Reads sums and counts of histograms out of the operator's Prometheus text. */
final class MetricsText {
  private MetricsText() {}

  /** The sample {@code name{labels}} (labels as rendered, or empty), if present. */
  static OptionalDouble value(String scrape, String name, String labels) {
    String prefix = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix)) {
        return OptionalDouble.of(Double.parseDouble(line.substring(prefix.length()).trim()));
      }
    }
    return OptionalDouble.empty();
  }

  /** The mean of histogram {@code name} with {@code labels} in milliseconds, or NaN. */
  static double meanMs(String scrape, String name, String labels) {
    OptionalDouble sum = value(scrape, name + "_sum", labels);
    OptionalDouble count = value(scrape, name + "_count", labels);
    if (sum.isEmpty() || count.isEmpty() || count.getAsDouble() == 0) {
      return Double.NaN;
    }
    return sum.getAsDouble() / count.getAsDouble() * 1000;
  }

  /** The total of histogram {@code name} with {@code labels} in milliseconds, or NaN. */
  static double sumMs(String scrape, String name, String labels) {
    OptionalDouble sum = value(scrape, name + "_sum", labels);
    return sum.isEmpty() ? Double.NaN : sum.getAsDouble() * 1000;
  }
}
