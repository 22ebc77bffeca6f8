package dev.orderly.bench;

import dev.orderly.e2e.PlaneBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The teardown benchmark: the real operator and real helm-java against the test API server and the
 * cluster simulator (3 nodes; hook Jobs complete and pods terminate at once). Not part of the
 * default test run (its name matches none of surefire's default patterns); run it with {@code mvn
 * -B -Pbenchmark test}. It writes {@code report.md}, {@code report.json} and {@code
 * requests-one-teardown.txt} under {@code target/benchmark/}.
 *
 * <p>The runs, in order: the footprint of {@code orderly run} in its own JVM watching 1,000
 * releases; 20 single teardowns, one delete every 1.5 s; then 1, 10, 100 and 500 releases deleted
 * at once, each on a fresh cluster, with reconciler threads sampled. Installs are not measured: up
 * to 20 are installed by the operator with Helm, the 100 and the 500 are copies of one Helm install
 * ({@link ReleaseCopier}). Each run has a cap and the whole benchmark a time budget ({@code
 * -Dorderly.bench.budgetSeconds}, default {@value #BUDGET_SECONDS}), so it ends in time whatever
 * the operator does; the last run gets what is left, and a run that hits its cap says so.
 */
class TeardownBenchmark {
  // JUL loggers are held weakly; keep the one we quieten.
  private static final Logger MOCK_SERVER_LOG =
      Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

  static final long BUDGET_SECONDS = 420;

  /** The real control plane's share: about 20 minutes on 2 cores. */
  static final long PLANE_BUDGET_SECONDS = 1140;

  static final int OVERHEAD_SAMPLES = 20;

  /** Resident memory varies from start to start (by up to ~40%), so the footprint runs 3 times. */
  static final int FOOTPRINT_RUNS = 3;

  static final Duration OVERHEAD_INTERVAL = Duration.ofMillis(1500);
  static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(4);

  private BenchReport report;
  private Instant deadline;

  @Test
  void run() throws Exception {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    Instant started = Instant.now();
    Duration budget =
        Duration.ofSeconds(Long.getLong("orderly.bench.budgetSeconds", BUDGET_SECONDS));
    deadline = started.plus(budget);
    Path out = Path.of(System.getProperty("orderly.bench.out", "target/benchmark"));
    Files.createDirectories(out);
    report = new BenchReport(started, budget, Machine.describe());
    String parts = System.getProperty("orderly.bench.parts", "memory,plane");
    if (parts.contains("memory")) {
      inMemory(out);
    }
    if (parts.contains("plane")) {
      Duration planeBudget =
          Duration.ofSeconds(
              Long.getLong("orderly.bench.planeBudgetSeconds", PLANE_BUDGET_SECONDS));
      PlaneBenchmark.Plan chosen =
          Boolean.getBoolean("orderly.bench.smoke")
              ? PlaneBenchmark.Plan.smoke(planeBudget)
              : PlaneBenchmark.Plan.full(planeBudget);
      // For checking the harness: -Dorderly.bench.planeScale=1,10 -Dorderly.bench.footprint=0
      String counts = System.getProperty("orderly.bench.planeScale", "");
      if (!counts.isBlank()) {
        chosen =
            chosen.withScale(
                java.util.Arrays.stream(counts.split(",")).map(Integer::valueOf).toList());
      }
      String footprintReleases = System.getProperty("orderly.bench.footprint", "");
      if (!footprintReleases.isBlank()) {
        chosen = chosen.withFootprint(Integer.parseInt(footprintReleases));
      }
      PlaneBenchmark.Plan plan = chosen;
      report.plane(
          report.step(
              "real control plane",
              () -> PlaneBenchmark.run(out, plan, client -> ReleaseCopier.of(client)::copyInto)));
    } else {
      report.plane(PlaneBenchmark.Result.notRun("left out by -Dorderly.bench.parts=" + parts));
    }
    report.write(out, Instant.now());
  }

  /**
   * The in-memory runs. One that fails is named in the report and the rest go on, so the real
   * control plane's part still runs; a failed footprint start is not tried again.
   */
  private void inMemory(Path out) {
    List<FootprintRun.Result> footprints = new ArrayList<>();
    for (int i = 1; i <= FOOTPRINT_RUNS; i++) {
      int run = i;
      if (!attempt(
          "footprint run " + i,
          () ->
              footprints.add(
                  report.step(
                      "footprint of orderly run with 1,000 releases, run " + run,
                      () -> FootprintRun.measure(out))))) {
        break;
      }
    }
    report.footprint(footprints);
    attempt("overhead run", () -> overhead(Duration.ofSeconds(150), Duration.ofSeconds(290)));
    // Each cap leaves room for the runs after it; the 500 get what is left.
    attempt("1 at once", () -> scale(1, false, Duration.ofSeconds(60), Duration.ofSeconds(280)));
    attempt("10 at once", () -> scale(10, false, Duration.ofSeconds(120), Duration.ofSeconds(240)));
    attempt(
        "100 at once", () -> scale(100, true, Duration.ofSeconds(180), Duration.ofSeconds(130)));
    attempt("500 at once", () -> scale(500, true, Duration.ofSeconds(600), Duration.ofSeconds(10)));
  }

  /** Work that may fail without ending the benchmark. */
  interface Run {
    void run() throws Exception;
  }

  private boolean attempt(String name, Run run) {
    try {
      run.run();
      return true;
    } catch (Exception | AssertionError e) {
      report.problem("in-memory " + name + " failed: " + e);
      e.printStackTrace();
      return false;
    }
  }

  private void overhead(Duration wanted, Duration reserve) throws Exception {
    try (BenchCluster cluster = BenchCluster.start()) {
      List<String> namespaces = namespaces("single", OVERHEAD_SAMPLES);
      report.step(
          "install " + OVERHEAD_SAMPLES + " with Helm",
          () -> {
            cluster.install(namespaces, INSTALL_TIMEOUT);
            return null;
          });
      Duration cap = cap(wanted, reserve);
      report.overhead(
          report.step(
              "overhead: one delete every " + OVERHEAD_INTERVAL.toMillis() + " ms",
              () ->
                  TeardownRun.staggered("overhead", cluster, namespaces, OVERHEAD_INTERVAL, cap)));
    }
  }

  private void scale(int count, boolean copies, Duration wanted, Duration reserve)
      throws Exception {
    try (BenchCluster cluster = BenchCluster.start()) {
      List<String> namespaces = namespaces("scale" + count, count);
      report.step(
          "install " + count + (copies ? " (copies of one Helm install)" : " with Helm"),
          () -> {
            if (copies) {
              ReleaseCopier.installCopies(cluster, namespaces, INSTALL_TIMEOUT);
            } else {
              cluster.install(namespaces, INSTALL_TIMEOUT);
            }
            return null;
          });
      Duration cap = cap(wanted, reserve);
      report.scale(
          report.step(
              count + " deleted at once",
              () -> TeardownRun.atOnce(count + " at once", cluster, namespaces, cap)));
    }
  }

  /**
   * How long a run may take: {@code wanted}, but no more than leaves {@code reserve} of the budget
   * for the runs after it, and never under 30 s.
   */
  private Duration cap(Duration wanted, Duration reserve) {
    Duration left = Duration.between(Instant.now(), deadline).minus(reserve);
    Duration cap = left.compareTo(wanted) < 0 ? left : wanted;
    return cap.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : cap;
  }

  static List<String> namespaces(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(String.format("%s-%04d", prefix, i));
    }
    return names;
  }
}
