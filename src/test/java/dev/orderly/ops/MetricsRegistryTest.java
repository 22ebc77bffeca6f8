package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.metrics.MetricsRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link MetricsRegistry} writes Prometheus' text exposition format 0.0.4. */
class MetricsRegistryTest {
  private final MetricsRegistry registry = new MetricsRegistry();

  @Test
  void aCounterHasHelpAndTypeLinesAndOneSamplePerLabelSet() {
    registry.increment("jobs_total", "Jobs seen.", "outcome", "done");
    registry.increment("jobs_total", "Jobs seen.", "outcome", "done");
    registry.increment("jobs_total", "Jobs seen.", "outcome", "failed");

    assertThat(registry.scrape())
        .isEqualTo(
            """
            # HELP jobs_total Jobs seen.
            # TYPE jobs_total counter
            jobs_total{outcome="done"} 2
            jobs_total{outcome="failed"} 1
            """);
    assertThat(registry.counterValue("jobs_total", "outcome", "done")).isEqualTo(2);
    assertThat(registry.counterValue("jobs_total", "outcome", "unknown")).isZero();
    assertThat(registry.counterValue("no_such_total")).isZero();
  }

  @Test
  void aCounterWithoutLabelsHasNoBraces() {
    registry.increment("starts_total", "Starts.");

    assertThat(registry.scrape()).endsWith("\nstarts_total 1\n");
  }

  @Test
  void labelValuesEscapeBackslashQuoteAndNewline() {
    registry.increment(
        "odd_total", "Odd labels.", "path", "C:\\tmp", "quote", "a \"b\"", "nl", "x\ny");

    assertThat(registry.scrape())
        .contains("odd_total{path=\"C:\\\\tmp\",quote=\"a \\\"b\\\"\",nl=\"x\\ny\"} 1\n");
  }

  @Test
  void aGaugeIsReadWhenScraped() {
    AtomicInteger running = new AtomicInteger(3);
    registry.gauge("running", "Running now.", running::get);

    assertThat(registry.scrape()).endsWith("# TYPE running gauge\nrunning 3\n");
    running.set(0);
    assertThat(registry.scrape()).endsWith("\nrunning 0\n");
  }

  @Test
  void aHistogramHasCumulativeBucketsUpToInfAndASumAndCount() {
    registry.observe("took_seconds", "Time taken.", 0.02, "phase", "Rbac");
    registry.observe("took_seconds", "Time taken.", 0.7, "phase", "Rbac");
    registry.observe("took_seconds", "Time taken.", 100, "phase", "Rbac");
    registry.observe("took_seconds", "Time taken.", 5000, "phase", "Rbac");

    assertThat(registry.scrape())
        .isEqualTo(
            """
            # HELP took_seconds Time taken.
            # TYPE took_seconds histogram
            took_seconds_bucket{phase="Rbac",le="0.01"} 0
            took_seconds_bucket{phase="Rbac",le="0.05"} 1
            took_seconds_bucket{phase="Rbac",le="0.1"} 1
            took_seconds_bucket{phase="Rbac",le="0.5"} 1
            took_seconds_bucket{phase="Rbac",le="1.0"} 2
            took_seconds_bucket{phase="Rbac",le="5.0"} 2
            took_seconds_bucket{phase="Rbac",le="15.0"} 2
            took_seconds_bucket{phase="Rbac",le="30.0"} 2
            took_seconds_bucket{phase="Rbac",le="60.0"} 2
            took_seconds_bucket{phase="Rbac",le="120.0"} 3
            took_seconds_bucket{phase="Rbac",le="300.0"} 3
            took_seconds_bucket{phase="Rbac",le="600.0"} 3
            took_seconds_bucket{phase="Rbac",le="1800.0"} 3
            took_seconds_bucket{phase="Rbac",le="+Inf"} 4
            took_seconds_sum 5100.72
            took_seconds_count 4
            """
                .replace("took_seconds_sum", "took_seconds_sum{phase=\"Rbac\"}")
                .replace("took_seconds_count", "took_seconds_count{phase=\"Rbac\"}"));
  }

  @Test
  void aValueOnABucketBoundCountsInThatBucket() {
    registry.observe("took_seconds", "Time taken.", 1);

    assertThat(registry.scrape())
        .contains("took_seconds_bucket{le=\"0.5\"} 0\n")
        .contains("took_seconds_bucket{le=\"1.0\"} 1\n")
        .contains("took_seconds_bucket{le=\"+Inf\"} 1\n")
        .contains("took_seconds_sum 1\n")
        .contains("took_seconds_count 1\n");
  }

  @Test
  void familiesAreSortedByNameAndEachHasOneHelpAndTypeLine() {
    registry.increment("b_total", "B.");
    registry.gauge("c", "C.", () -> 1.5);
    registry.observe("a_seconds", "A.", 0.2);
    registry.increment("b_total", "B.", "x", "y");

    String text = registry.scrape();
    assertThat(text.indexOf("# HELP a_seconds"))
        .isLessThan(text.indexOf("# HELP b_total"))
        .isLessThan(text.indexOf("# HELP c "));
    assertThat(text.split("# TYPE b_total counter", -1)).hasSize(2);
    assertThat(text).contains("\nc 1.5\n");
  }
}
