package dev.orderly.bench;

import static dev.orderly.bench.Stats.ms;

import dev.orderly.api.TeardownPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Renders the benchmark report as Markdown; the README's Performance section copies from it. */
final class ReportMarkdown {
  private final Machine machine;
  private final String endLoad;
  private final Duration took;
  private final List<FootprintRun.Result> footprint;
  private final TeardownRun overhead;
  private final List<TeardownRun> scale;
  private final List<Diagnosis.Target> targets;
  private final PlaneReport plane;
  private final List<String> problems;
  private final StringBuilder out = new StringBuilder();

  ReportMarkdown(
      Machine machine,
      String endLoad,
      Duration took,
      List<FootprintRun.Result> footprint,
      TeardownRun overhead,
      List<TeardownRun> scale,
      List<Diagnosis.Target> targets,
      PlaneReport plane,
      List<String> problems) {
    this.machine = machine;
    this.endLoad = endLoad;
    this.took = took;
    this.footprint = footprint;
    this.overhead = overhead;
    this.scale = scale;
    this.targets = targets;
    this.plane = plane;
    this.problems = problems;
  }

  String render() {
    line("# Orderly teardown benchmark");
    line("");
    line(
        "`%s` on %d cores, %s, %s, %d MiB; load average %s at the start, %s at the end; took %d s.",
        BenchReport.COMMAND,
        machine.cores(),
        machine.java(),
        machine.os(),
        machine.memoryMiB(),
        machine.loadAverage(),
        endLoad,
        took.toSeconds());
    line(
        "Two parts: the in-memory test API server (below, \"In-memory\") and the real control"
            + " plane in ../shared/k8s (\"Real control plane\"); the table after the targets sets"
            + " their figures side by side.");
    line("");
    targets();
    if (!problems.isEmpty()) {
      line("Runs that failed (their figures are missing below):");
      line("");
      problems.forEach(p -> line("- %s", p));
      line("");
    }
    plane.sideBySide(out, overhead == null ? null : scale, overhead, footprint);
    if (overhead != null) {
      line("# In-memory test server");
      line("");
      line(
          "The real operator (4 Helm threads, 10 reconciler threads) and helm-java against the"
              + " in-memory test API server; the cluster simulator runs 3 nodes, completes hook"
              + " Jobs and terminates pods at once. Each release: 3 pre-delete hooks"
              + " (ServiceAccount, ConfigMap, Job), 2 DaemonSets × 3 pods, 20 other objects.");
      line("");
      overhead();
      scale();
      requests();
      footprint();
      threads();
      findings();
    } else {
      line("The in-memory part was not run (-Dorderly.bench.parts).");
      line("");
    }
    plane.sections(out);
    return out.toString();
  }

  private void targets() {
    line("## Targets");
    line("");
    line("| Target | Wanted | Measured | Met |");
    line("| --- | --- | --- | --- |");
    for (Diagnosis.Target t : targets) {
      line("| %s | %s | %s | %s |", t.name(), t.wanted(), t.measured(), t.met() ? "yes" : "**no**");
    }
    line("");
    for (Diagnosis.Target t : targets) {
      if (!t.met()) {
        line("- **%s**: %s *What would close it:* %s", t.name(), t.why(), t.fix());
      }
    }
    line("");
  }

  private void overhead() {
    line(
        "## Overhead per teardown (%d releases, one delete every %.1f s)",
        overhead.releases(), TeardownBenchmark.OVERHEAD_INTERVAL.toMillis() / 1000.0);
    line("");
    line("From the delete request to the finalizer's removal (the object seen gone by a watch).");
    line(
        "Phases from the operator's `TeardownPhaseStarted` Events; the last column is the mean of"
            + " `orderly_teardown_phase_duration_seconds`.");
    line("");
    line("| Step | Median | p99 | Metrics mean |");
    line("| --- | --- | --- | --- |");
    Stats pickup = Summary.pickup(overhead);
    line("| Delete → first phase started | %s | %s | |", ms(pickup.medianMs()), ms(pickup.p99Ms()));
    Map<String, Stats> hooks = Summary.hooks(overhead);
    for (Map.Entry<TeardownPhase, Stats> e : Summary.phases(overhead).entrySet()) {
      double mean =
          MetricsText.meanMs(
              overhead.metrics(),
              "orderly_teardown_phase_duration_seconds",
              "phase=\"" + e.getKey().name() + "\"");
      line(
          "| %d. %s | %s | %s | %s |",
          e.getKey().ordinal() + 1,
          e.getKey(),
          ms(e.getValue().medianMs()),
          ms(e.getValue().p99Ms()),
          ms(mean));
      if (e.getKey() == TeardownPhase.PreDeleteHooks) {
        hooks.forEach(
            (kind, stats) ->
                line(
                    "| &nbsp;&nbsp;%s hook (start → next start) | %s | %s | |",
                    kind, ms(stats.medianMs()), ms(stats.p99Ms())));
      }
    }
    Stats removal = Summary.finalizerRemoval(overhead);
    line(
        "| TeardownComplete → object gone | %s | %s | |",
        ms(removal.medianMs()), ms(removal.p99Ms()));
    Stats total = overhead.perRelease();
    line(
        "| **Delete → finalizer removed** | **%s** | **%s** | |",
        ms(total.medianMs()), ms(total.p99Ms()));
    line("");
    line(
        "%d of %d finished%s. Time inside `cleanup()` per teardown (metrics): %s.",
        overhead.finished(),
        overhead.releases(),
        overhead.capped() ? " before the " + overhead.cap().toSeconds() + " s cap" : "",
        ms(Summary.cleanupMsPerTeardown(overhead)));
    line("");
  }

  private void scale() {
    line("## Scale: releases deleted at once");
    line("");
    line(
        "| Releases | Done | Total | Per-release median | Per-release p99 | API server busy"
            + " | CPU busy |");
    line("| --- | --- | --- | --- | --- | --- | --- |");
    for (TeardownRun run : scale) {
      line(
          "| %d | %d%s | %s | %s | %s | %s | %.0f%% |",
          run.releases(),
          run.finished(),
          run.capped() ? " (cap " + run.cap().toSeconds() + " s)" : "",
          run.capped() ? "> " + ms(run.total().toMillis()) : ms(run.total().toMillis()),
          ms(run.perRelease().medianMs()),
          ms(run.perRelease().p99Ms()),
          run.threads() == null
              ? ""
              : String.format("%.0f%%", 100 * run.threads().apiServerBusyShare()),
          100 * run.cpuShare());
    }
    line("");
    for (TeardownRun run : scale) {
      if (run.capped()) {
        line(
            "%s: at the %d s cap, %s.",
            run.name(),
            run.cap().toSeconds(),
            run.unfinishedPhases().isEmpty()
                ? "none left"
                : "still tearing down: " + TeardownRun.describe(run.unfinishedPhases()));
        line("");
      }
    }
    line(
        "Per-release figures count finished releases only. The 500 are copies of one Helm"
            + " install (same objects and release record, made with the fabric8 client); the"
            + " others were installed by the operator with Helm. \"API server busy\": share of"
            + " thread samples in which the test API server's event loop was working. \"CPU"
            + " busy\": CPU time of the whole benchmark JVM (API server, simulator, operator and"
            + " Helm share it) over the run's wall time and all cores.");
    line("");
  }

  private void requests() {
    line("## API requests per teardown (overhead run, mean per teardown)");
    line("");
    line("| Request | Needed | By Orderly | By Helm |");
    line("| --- | --- | --- | --- |");
    Summary.requestMeans(overhead)
        .forEach(
            (category, bySender) ->
                line(
                    "| %s | %s | %s | %s |",
                    category.label,
                    category.needed ? "yes" : "extra",
                    count(bySender.get(RequestAudit.Sender.Orderly)),
                    count(bySender.get(RequestAudit.Sender.Helm))));
    double median = Summary.requestsMedian(overhead);
    line("");
    line(
        "Median %.0f requests per teardown against a minimum of %d (3 hook creates, 3 hook"
            + " deletes, 22 object deletes, 1 read and 1 delete of Helm's record, 9 status writes,"
            + " 1 finalizer removal): %.2f × the minimum. Not attributable to a release: %d"
            + " discovery requests in the whole run.",
        median, RequestAudit.minimum(), median / RequestAudit.minimum(), overhead.unattributed());
    line("");
    for (TeardownRun run : scale) {
      double perRun = Summary.requestsMedian(run);
      line(
          "- %s: %s requests per finished teardown (median).",
          run.name(), Double.isNaN(perRun) ? "n/a, none finished" : String.format("%.0f", perRun));
    }
    line("");
  }

  private void footprint() {
    if (footprint == null || footprint.isEmpty()) {
      line("## Footprint: not measured (the footprint run failed)");
      line("");
      return;
    }
    FootprintRun.Result first = footprint.get(0);
    line("## Footprint (`orderly run` in its own JVM, %s)", first.jvmFlags());
    line("");
    line("%,d OrderedReleases watched: %s.", first.releases(), first.note());
    line("");
    line(
        "| Start | Resident (VmRSS) | Peak resident (VmHWM) | Heap used after GC / committed"
            + " | JVM committed (NMT) | Start → first reconcile | Start → all reconciled |");
    line("| --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < footprint.size(); i++) {
      FootprintRun.Result run = footprint.get(i);
      line(
          "| %d | %d MiB | %d MiB | %d / %d MiB | %d MiB | %s | %s |",
          i + 1,
          run.rssKiB() / 1024,
          run.peakRssKiB() / 1024,
          run.heapUsedKiB() / 1024,
          run.heapCommittedKiB() / 1024,
          run.jvmCommittedKiB().getOrDefault("Total", 0L) / 1024,
          ms(run.startToFirstReconcile().toMillis()),
          ms(run.startToAllReconciled().toMillis()));
    }
    line("");
    FootprintRun.Result median = FootprintRun.medianByRss(footprint);
    line(
        "JVM committed memory of the median start, by Native Memory Tracking category (MiB): %s."
            + " Resident memory beyond the JVM's is Helm's Go runtime and native libraries. The"
            + " last start's full summary is in `footprint-native-memory.txt`.",
        String.join(
            ", ",
            median.jvmCommittedKiB().entrySet().stream()
                .filter(e -> e.getValue() >= 1024)
                .map(e -> e.getKey() + " " + e.getValue() / 1024)
                .toList()));
    line("");
  }

  private void threads() {
    line("## Reconciler threads");
    line("");
    line(
        "| Run | Samples | Threads | Running | In one API request | Parked waiting | Other"
            + " | Sampler CPU |");
    line("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (TeardownRun run : scale) {
      ThreadSampler.Result t = run.threads();
      if (t == null) {
        continue;
      }
      Map<ThreadSampler.Activity, Integer> a = t.reconcilerActivity();
      line(
          "| %s | %d every %d ms | %d | %d | %d | %d | %d | %s |",
          run.name(),
          t.samples(),
          t.intervalMs(),
          t.reconcilerThreads(),
          a.get(ThreadSampler.Activity.RUNNING),
          a.get(ThreadSampler.Activity.IN_API_REQUEST),
          a.get(ThreadSampler.Activity.WAITING_ON_CLUSTER),
          a.get(ThreadSampler.Activity.OTHER),
          ms(t.samplerCpuMs()));
    }
    line("");
    line(
        "Counts are samples of threads named `ReconcilerExecutor-orderedrelease-*`, which JOSDK"
            + " names so only while they run a reconcile or cleanup. \"Parked waiting\" is a"
            + " sleep, wait or park outside a single API round trip (Thread.sleep, a fabric8"
            + " wait-until, a Helm call); \"Other\" is JOSDK's own bookkeeping.");
    line("");
  }

  private void findings() {
    line("## Requests the operator could save");
    line("");
    Findings.of(overhead).forEach(f -> line("- %s", f));
    line("");
    line(
        "The requests of the first teardown of the overhead run, one per line, are in"
            + " `requests-one-teardown.txt` beside this report.");
  }

  private static String count(Double value) {
    return value == null ? "" : String.format("%.1f", value);
  }

  private void line(String format, Object... args) {
    out.append(args.length == 0 ? format : String.format(format, args)).append('\n');
  }
}
