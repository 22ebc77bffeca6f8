package dev.orderly.bench;

import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's footprint, measured in a JVM of its own: {@code orderly run} ({@code
 * dev.orderly.cli.Main}) started with {@code java} against the benchmark's API server, which holds
 * {@value #RELEASES} OrderedReleases. All but one are suspended, so no Helm work runs for them; the
 * one that is not is installed, so Helm's native library is loaded as in any real operator.
 * Resident memory comes from {@code /proc/<pid>/status}, the heap after a full GC from {@code
 * jcmd}.
 */
final class FootprintRun {
  static final int RELEASES = 1000;
  static final int NAMESPACES = 100;

  /** How long resident memory is watched after the GC before it is read. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  /** The chart's memory limit (512 Mi) times the image's MaxRAMPercentage (75). */
  static final String MAX_HEAP = "-Xmx384m";

  /** What was measured. */
  record Result(
      int releases,
      Duration startToFirstReconcile,
      Duration startToAllReconciled,
      long rssKiB,
      long peakRssKiB,
      List<Long> rssSettlingKiB,
      long heapUsedKiB,
      long heapCommittedKiB,
      Map<String, Long> jvmCommittedKiB,
      String jvmFlags,
      String note) {}

  private FootprintRun() {}

  /** The run whose resident memory is the median of {@code runs}. */
  static Result medianByRss(List<Result> runs) {
    List<Result> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingLong(Result::rssKiB));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** The median time from process start to the first reconcile over {@code runs}. */
  static Duration medianFirstReconcile(List<Result> runs) {
    List<Duration> sorted =
        new ArrayList<>(runs.stream().map(Result::startToFirstReconcile).toList());
    sorted.sort(Duration::compareTo);
    return sorted.get((sorted.size() - 1) / 2);
  }

  static Result measure(Path outDir) throws IOException, InterruptedException {
    try (BenchCluster cluster = BenchCluster.withoutOperator()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < RELEASES; i++) {
        String namespace = String.format("fp-%03d", i % NAMESPACES);
        OrderedRelease release = BenchCluster.release(namespace, i != 0);
        release.getMetadata().setName(String.format("rel-%04d", i));
        // As a restarted operator finds them: already holding the finalizer.
        release.getMetadata().setFinalizers(List.of(OrderedRelease.FINALIZER));
        cluster.driver().resource(release).create();
        names.add(namespace + "/" + release.getMetadata().getName());
      }
      Set<String> reconciled = ConcurrentHashMap.newKeySet();
      AtomicReference<Instant> first = new AtomicReference<>();
      SharedIndexInformer<OrderedRelease> watch =
          cluster
              .driver()
              .resources(OrderedRelease.class)
              .inAnyNamespace()
              .inform(reconcileRecorder(reconciled, first));
      Path kubeconfig = outDir.resolve("footprint-kubeconfig.yaml");
      Files.writeString(kubeconfig, cluster.server().kubeconfig());
      Path workDir = Files.createTempDirectory("orderly-footprint");
      Path log = outDir.resolve("footprint-operator.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaBinary("java"),
                  MAX_HEAP,
                  // Helm's Go runtime takes SIGQUIT, which jcmd needs to start the attach
                  // listener later; start it now.
                  "-XX:+StartAttachListener",
                  // Lets jcmd say how much of the resident memory the JVM itself accounts for.
                  "-XX:NativeMemoryTracking=summary",
                  "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                  "-cp",
                  classpath(),
                  "dev.orderly.cli.Main",
                  "run",
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--leader-election=false",
                  "--metrics-port",
                  "0",
                  "--work-dir",
                  workDir.toString(),
                  // Else every release stalls with ChartPathNotAllowed and none reads Suspended.
                  "--allowed-chart-paths",
                  BenchCluster.CHART.getParent().toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("ORDERLY_LOG_LEVEL", "info");
      Instant started = Instant.now();
      Process process = builder.start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> first.get() != null || !process.isAlive());
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> reconciled.size() == names.size() || !process.isAlive());
        if (!process.isAlive()) {
          throw new IllegalStateException("the operator exited early; see " + log);
        }
        Instant all = Instant.now();
        long pid = process.pid();
        long[] heap = heapAfterGc(pid);
        String nativeMemory =
            run(javaBinary("jcmd"), String.valueOf(pid), "VM.native_memory", "summary");
        Files.writeString(outDir.resolve("footprint-native-memory.txt"), nativeMemory);
        List<Long> settling = rssSeries(pid, SETTLE, Duration.ofMillis(500));
        long[] rss = rss(pid);
        return new Result(
            RELEASES,
            Duration.between(started, first.get()),
            Duration.between(started, all),
            rss[0],
            rss[1],
            settling,
            heap[0],
            heap[1],
            committedByCategory(nativeMemory),
            MAX_HEAP,
            "separate JVM running `orderly run`; resident memory read "
                + SETTLE.toSeconds()
                + " s after a full GC; "
                + (RELEASES - 1)
                + " suspended releases and 1 installed with Helm");
      } finally {
        watch.stop();
        Files.deleteIfExists(kubeconfig);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        BenchCluster.deleteTree(workDir);
      }
    }
  }

  /** A release counts as reconciled once the operator has written its status. */
  private static ResourceEventHandler<OrderedRelease> reconcileRecorder(
      Set<String> reconciled, AtomicReference<Instant> first) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(OrderedRelease release) {
        record(release);
      }

      @Override
      public void onUpdate(OrderedRelease before, OrderedRelease after) {
        record(after);
      }

      @Override
      public void onDelete(OrderedRelease release, boolean finalStateUnknown) {}

      private void record(OrderedRelease release) {
        String phase = release.getStatus() == null ? null : release.getStatus().getPhase();
        if ("Suspended".equals(phase) || "Deployed".equals(phase)) {
          first.compareAndSet(null, Instant.now());
          reconciled.add(
              release.getMetadata().getNamespace() + "/" + release.getMetadata().getName());
        }
      }
    };
  }

  /**
   * Resident memory every {@code every} for {@code span}: the JVM gives back heap and Helm's Go
   * runtime returns freed memory to the OS only some seconds after the work that used it.
   */
  static List<Long> rssSeries(long pid, Duration span, Duration every) {
    List<Long> series = new CopyOnWriteArrayList<>();
    int samples = (int) (span.toMillis() / every.toMillis());
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      timer.scheduleAtFixedRate(
          () -> series.add(rss(pid)[0]), 0, every.toMillis(), TimeUnit.MILLISECONDS);
      await().atMost(span.plusSeconds(5)).pollInterval(every).until(() -> series.size() >= samples);
    } finally {
      timer.shutdownNow();
    }
    return List.copyOf(series);
  }

  /**
   * What the JVM has committed, in KiB, by Native Memory Tracking category, with "Total"; what
   * resident memory holds beyond it is outside the JVM (Helm's Go runtime, native libraries).
   */
  static Map<String, Long> committedByCategory(String summary) {
    Map<String, Long> committed = new LinkedHashMap<>();
    Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(summary);
    if (total.find()) {
      committed.put("Total", Long.parseLong(total.group(1)));
    }
    Matcher m =
        Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB")
            .matcher(summary);
    while (m.find()) {
      committed.put(m.group(1).trim(), Long.parseLong(m.group(2)));
    }
    return committed;
  }

  /** Current and peak resident set size in KiB, from /proc. */
  static long[] rss(long pid) {
    try {
      String status = Files.readString(Path.of("/proc", String.valueOf(pid), "status"));
      return new long[] {kib(status, "VmRSS"), kib(status, "VmHWM")};
    } catch (IOException e) {
      return new long[] {-1, -1};
    }
  }

  private static long kib(String status, String field) {
    Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Used and committed heap in KiB after a full GC, via jcmd; -1 when jcmd is missing. */
  static long[] heapAfterGc(long pid) throws IOException, InterruptedException {
    String jcmd = javaBinary("jcmd");
    if (!Files.isExecutable(Path.of(jcmd))) {
      return new long[] {-1, -1};
    }
    run(jcmd, String.valueOf(pid), "GC.run");
    String info = run(jcmd, String.valueOf(pid), "GC.heap_info");
    Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
    return m.find()
        ? new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(1))}
        : new long[] {-1, -1};
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new UncheckedIOException(new IOException("timed out: " + String.join(" ", command)));
    }
    return out;
  }

  private static String javaBinary(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  /** The test class path: surefire's when run by Maven, else this JVM's. */
  private static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
