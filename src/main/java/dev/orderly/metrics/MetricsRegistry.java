package dev.orderly.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * A small, thread-safe set of counters, gauges and histograms rendered in Prometheus' text
 * exposition format (version 0.0.4). Enough for an operator; no client library needed.
 */
public class MetricsRegistry {
  private final Map<String, Family> families = new ConcurrentHashMap<>();

  /** Adds one to counter {@code name} with {@code labels} (name=value pairs, in order). */
  public void increment(String name, String help, String... labels) {
    family(name, help, "counter").counter(labelText(labels)).increment();
  }

  /** A gauge whose value is read when scraped. */
  public void gauge(String name, String help, DoubleSupplier value) {
    family(name, help, "gauge").gauges.put("", value);
  }

  /** Records {@code seconds} into histogram {@code name}. */
  public void observe(String name, String help, double seconds, String... labels) {
    family(name, help, "histogram")
        .histograms
        .computeIfAbsent(labelText(labels), key -> new Histogram())
        .observe(seconds);
  }

  /** The current value of a counter, for tests and the benchmark. */
  public long counterValue(String name, String... labels) {
    Family family = families.get(name);
    LongAdder counter = family == null ? null : family.counters.get(labelText(labels));
    return counter == null ? 0 : counter.sum();
  }

  /** Everything, in the Prometheus text format, families sorted by name. */
  public String scrape() {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(families).forEach((name, family) -> family.render(name, out));
    return out.toString();
  }

  private Family family(String name, String help, String type) {
    return families.computeIfAbsent(name, key -> new Family(help, type));
  }

  private static String labelText(String... labels) {
    if (labels.length == 0) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      String value = labels[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
      pairs.add(labels[i] + "=\"" + value + "\"");
    }
    return String.join(",", pairs);
  }

  private static final class Family {
    final String help;
    final String type;
    final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

    Family(String help, String type) {
      this.help = help;
      this.type = type;
    }

    LongAdder counter(String labels) {
      return counters.computeIfAbsent(labels, key -> new LongAdder());
    }

    void render(String name, StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(help).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      new TreeMap<>(counters).forEach((labels, value) -> sample(out, name, labels, value.sum()));
      new TreeMap<>(gauges)
          .forEach((labels, value) -> sample(out, name, labels, value.getAsDouble()));
      new TreeMap<>(histograms).forEach((labels, histogram) -> histogram.render(name, labels, out));
    }
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  private static String format(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value)
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  /** Cumulative buckets, as Prometheus expects. */
  private static final class Histogram {
    // From 10 ms (an instant phase) to 30 min (a hook that runs to its timeout).
    static final double[] BOUNDS = {0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800};
    final LongAdder[] buckets = new LongAdder[BOUNDS.length];
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(double value) {
      for (int i = 0; i < BOUNDS.length; i++) {
        if (value <= BOUNDS[i]) {
          buckets[i].increment();
        }
      }
      count.increment();
      sum.add(value);
    }

    void render(String name, String labels, StringBuilder out) {
      String prefix = labels.isEmpty() ? "" : labels + ",";
      for (int i = 0; i < BOUNDS.length; i++) {
        sample(out, name + "_bucket", prefix + "le=\"" + BOUNDS[i] + "\"", buckets[i].sum());
      }
      sample(out, name + "_bucket", prefix + "le=\"+Inf\"", count.sum());
      sample(out, name + "_sum", labels, sum.sum());
      sample(out, name + "_count", labels, count.sum());
    }
  }
}
