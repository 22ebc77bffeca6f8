package dev.orderly.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.orderly.api.TeardownPhase;
import dev.orderly.e2e.PlaneBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the benchmark's runs and writes them as {@code report.md} (tables) and {@code
 * report.json} (the same figures, for tools), with the targets checked by {@link Diagnosis}.
 */
final class BenchReport {
  static final String COMMAND =
      "bench/run (mvn -B -Pbenchmark test on the in-memory server and ../shared/k8s)";

  private final Instant started;
  private final Duration budget;
  private final Machine machine;
  private List<FootprintRun.Result> footprint;
  private TeardownRun overhead;
  private final List<TeardownRun> scale = new ArrayList<>();
  private PlaneReport plane = new PlaneReport(null);
  private final List<Map<String, Object>> steps = new ArrayList<>();

  /** Work whose duration goes into the report's list of steps. */
  interface Step<T> {
    T run() throws Exception;
  }

  BenchReport(Instant started, Duration budget, Machine machine) {
    this.started = started;
    this.budget = budget;
    this.machine = machine;
  }

  /** Runs {@code work}, noting how long it took (installs included) and printing progress. */
  <T> T step(String name, Step<T> work) throws Exception {
    Instant start = Instant.now();
    System.out.printf("[bench +%ds] %s...%n", Duration.between(started, start).toSeconds(), name);
    T result = work.run();
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    System.out.printf("[bench] %s took %.1f s%n", name, seconds);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("step", name);
    entry.put("seconds", seconds);
    steps.add(entry);
    return result;
  }

  void footprint(List<FootprintRun.Result> runs) {
    footprint = List.copyOf(runs);
  }

  void overhead(TeardownRun run) {
    overhead = run;
  }

  void scale(TeardownRun run) {
    scale.add(run);
  }

  private final List<String> problems = new ArrayList<>();

  /** A run that failed; the report names it. */
  void problem(String what) {
    problems.add(what);
  }

  void plane(PlaneBenchmark.Result result) {
    plane = new PlaneReport(result);
  }

  /** Whether the in-memory part ran ({@code -Dorderly.bench.parts} may leave it out). */
  private boolean memoryRan() {
    return overhead != null;
  }

  void write(Path out, Instant ended) throws IOException {
    Duration took = Duration.between(started, ended);
    String endLoad = Machine.currentLoadAverage();
    List<Diagnosis.Target> targets = new ArrayList<>();
    if (memoryRan()) {
      targets.addAll(Diagnosis.targets(overhead, scale, footprint));
    }
    targets.addAll(plane.targets());
    Files.writeString(
        out.resolve("report.md"),
        new ReportMarkdown(
                machine, endLoad, took, footprint, overhead, scale, targets, plane, problems)
            .render());
    Files.writeString(out.resolve("report.json"), json(took, endLoad, targets));
    if (memoryRan()) {
      Files.write(out.resolve("requests-one-teardown.txt"), overhead.firstRequests());
    }
    if (plane.ran()) {
      Files.write(out.resolve("requests-one-teardown-plane.txt"), plane.oneTeardownLines());
    }
  }

  private String json(Duration took, String endLoad, List<Diagnosis.Target> targets)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("command", COMMAND);
    root.put("startedAt", started.toString());
    root.put("runtimeSeconds", took.toMillis() / 1000.0);
    root.put("budgetSeconds", budget.toSeconds());
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("cores", machine.cores());
    host.put("java", machine.java());
    host.put("os", machine.os());
    host.put("memoryMiB", machine.memoryMiB());
    host.put("loadAverageAtStart", machine.loadAverage());
    host.put("loadAverageAtEnd", endLoad);
    root.put("machine", host);
    root.put("steps", steps);
    root.put("targets", targets);
    if (memoryRan()) {
      root.put("overhead", runJson(overhead, true));
      List<Object> scaleJson = new ArrayList<>();
      scale.forEach(run -> scaleJson.add(runJson(run, false)));
      root.put("scale", scaleJson);
      root.put("footprint", footprint == null ? List.of() : footprintJson());
      root.put("findings", Findings.of(overhead));
    }
    root.put("realControlPlane", plane.json());
    root.put("failedRuns", problems);
    return new ObjectMapper()
        .registerModule(nanAsNull())
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(root);
  }

  /** A figure that could not be measured (no release finished) is null, not "NaN". */
  private static SimpleModule nanAsNull() {
    JsonSerializer<Double> serializer =
        new JsonSerializer<>() {
          @Override
          public void serialize(Double value, JsonGenerator out, SerializerProvider provider)
              throws IOException {
            if (value.isNaN() || value.isInfinite()) {
              out.writeNull();
            } else {
              out.writeNumber(value);
            }
          }
        };
    return new SimpleModule()
        .addSerializer(Double.class, serializer)
        .addSerializer(double.class, serializer);
  }

  private List<Object> footprintJson() {
    List<Object> runs = new ArrayList<>();
    for (FootprintRun.Result run : footprint) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("releases", run.releases());
      map.put("startToFirstReconcileMs", run.startToFirstReconcile().toMillis());
      map.put("startToAllReconciledMs", run.startToAllReconciled().toMillis());
      map.put("rssMiB", run.rssKiB() / 1024.0);
      map.put("peakRssMiB", run.peakRssKiB() / 1024.0);
      map.put(
          "rssAfterGcEveryHalfSecondMiB",
          run.rssSettlingKiB().stream().map(kib -> kib / 1024).toList());
      map.put("heapUsedAfterGcMiB", run.heapUsedKiB() / 1024.0);
      map.put("heapCommittedMiB", run.heapCommittedKiB() / 1024.0);
      map.put("jvmCommittedKiB", run.jvmCommittedKiB());
      map.put("jvmFlags", run.jvmFlags());
      map.put("note", run.note());
      runs.add(map);
    }
    return runs;
  }

  static Map<String, Object> runJson(TeardownRun run, boolean detail) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", run.name());
    map.put("releases", run.releases());
    map.put("finished", run.finished());
    map.put("capped", run.capped());
    map.put("capSeconds", run.cap().toSeconds());
    map.put("totalMs", run.total().toMillis());
    map.put("perRelease", run.perRelease());
    map.put("requestsPerTeardownMedian", Summary.requestsMedian(run));
    map.put("requestMinimum", RequestAudit.minimum());
    map.put("unattributedOperatorRequests", run.unattributed());
    map.put("cpuShare", run.cpuShare());
    if (run.capped()) {
      map.put("unfinishedByPhase", run.unfinishedPhases());
    }
    if (run.threads() != null) {
      map.put("threads", run.threads());
    }
    if (detail) {
      Map<String, Object> phases = new LinkedHashMap<>();
      phases.put("pickup", Summary.pickup(run));
      Map<TeardownPhase, Stats> byPhase = Summary.phases(run);
      byPhase.forEach(
          (phase, stats) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("stats", stats);
            entry.put(
                "metricsMeanMs",
                MetricsText.meanMs(
                    run.metrics(),
                    "orderly_teardown_phase_duration_seconds",
                    "phase=\"" + phase.name() + "\""));
            phases.put(phase.name(), entry);
          });
      phases.put("hooks", Summary.hooks(run));
      phases.put("finalizerRemoval", Summary.finalizerRemoval(run));
      map.put("phases", phases);
      map.put("cleanupMsPerTeardown", Summary.cleanupMsPerTeardown(run));
      Map<String, Object> requests = new LinkedHashMap<>();
      Summary.requestMeans(run)
          .forEach(
              (category, bySender) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("label", category.label);
                entry.put("needed", category.needed);
                entry.put("meanPerTeardown", bySender);
                requests.put(category.name(), entry);
              });
      map.put("requests", requests);
    }
    return map;
  }
}
