package dev.orderly.bench;

import static org.awaitility.Awaitility.await;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.TeardownPhase;
import dev.orderly.testsupport.ApiRequest;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One measured teardown: releases deleted (all at once, or one every interval), waited for up to a
 * cap, then explained from the request journal, the Events and the operator's metrics.
 *
 * @param total from the first delete sent to the last release gone (or to the cap)
 * @param perRelease each finished release's delete-to-gone time
 * @param timelines each finished release's phases, from its Events
 * @param tallies each finished release's requests by category
 * @param unattributed operator requests naming no release (discovery, cluster-wide lists)
 * @param threads what the reconciler threads did, when sampled
 * @param metrics the operator's metrics afterwards, in Prometheus text
 * @param firstRequests the operator's requests for the release deleted first, one line each
 * @param cpuShare the benchmark JVM's CPU use during the run (server, simulator, operator, Helm) as
 *     a share of all cores, 1.0 meaning every core busy throughout
 * @param unfinishedPhases for releases still there at the cap, how many are in each phase
 */
record TeardownRun(
    String name,
    int releases,
    int finished,
    boolean capped,
    Duration cap,
    Duration total,
    Stats perRelease,
    List<PhaseTimeline> timelines,
    List<RequestAudit.Tally> tallies,
    int unattributed,
    ThreadSampler.Result threads,
    String metrics,
    List<String> firstRequests,
    double cpuShare,
    Map<String, Integer> unfinishedPhases) {

  /** How often reconciler threads are sampled; each sample costs ~1-3 ms of CPU. */
  static final long SAMPLE_MS = 50;

  /** Deletes every release at once (from 8 threads) and follows them for at most {@code cap}. */
  static TeardownRun atOnce(
      String name, BenchCluster cluster, List<String> namespaces, Duration cap) {
    int from = cluster.journal().size();
    long cpu = Machine.processCpuNanos();
    ThreadSampler sampler = ThreadSampler.start(SAMPLE_MS);
    Map<String, Instant> sent;
    boolean capped;
    try {
      sent = cluster.deleteAll(namespaces, 8);
      Instant first = sent.values().stream().min(Instant::compareTo).orElseThrow();
      capped = awaitGone(cluster, namespaces, first, cap);
    } finally {
      // Stop before explaining, so the journal and Event reads are not sampled.
      sampler.close();
    }
    return explain(name, cluster, namespaces, sent, from, capped, cap, sampler.result(), cpu);
  }

  /** Deletes one release every {@code interval} and follows them for at most {@code cap}. */
  static TeardownRun staggered(
      String name, BenchCluster cluster, List<String> namespaces, Duration interval, Duration cap) {
    int from = cluster.journal().size();
    long cpu = Machine.processCpuNanos();
    Map<String, Instant> sent = new ConcurrentHashMap<>();
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < namespaces.size(); i++) {
        String namespace = namespaces.get(i);
        pacer.schedule(
            () -> sent.put(namespace, cluster.delete(namespace)),
            i * interval.toMillis(),
            TimeUnit.MILLISECONDS);
      }
      Instant start = Instant.now();
      await()
          .atMost(interval.multipliedBy(namespaces.size()).plusSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> sent.size() == namespaces.size());
      boolean capped = awaitGone(cluster, namespaces, start, cap);
      return explain(name, cluster, namespaces, sent, from, capped, cap, null, cpu);
    } finally {
      pacer.shutdownNow();
    }
  }

  /** Waits until all are gone or {@code cap} after {@code start}; true when capped. */
  private static boolean awaitGone(
      BenchCluster cluster, List<String> namespaces, Instant start, Duration cap) {
    Duration left = cap.minus(Duration.between(start, Instant.now()));
    try {
      await()
          .atMost(left.isNegative() ? Duration.ofMillis(1) : left)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> namespaces.stream().allMatch(ns -> cluster.goneAt(ns) != null));
      return false;
    } catch (ConditionTimeoutException e) {
      return true;
    }
  }

  private static TeardownRun explain(
      String name,
      BenchCluster cluster,
      List<String> namespaces,
      Map<String, Instant> sent,
      int from,
      boolean capped,
      Duration cap,
      ThreadSampler.Result threads,
      long cpuBefore) {
    long cpuUsed = Machine.processCpuNanos() - cpuBefore;
    Instant first = sent.values().stream().min(Instant::compareTo).orElseThrow();
    List<String> finished = namespaces.stream().filter(ns -> cluster.goneAt(ns) != null).toList();
    Instant last =
        capped
            ? first.plus(cap)
            : finished.stream().map(cluster::goneAt).max(Instant::compareTo).orElse(first);
    List<Duration> durations =
        finished.stream().map(ns -> Duration.between(sent.get(ns), cluster.goneAt(ns))).toList();
    String firstSent = namespaces.get(0);

    Map<String, List<Event>> events = eventsByNamespace(cluster, Set.copyOf(finished));
    List<PhaseTimeline> timelines = new ArrayList<>();
    for (String ns : finished) {
      PhaseTimeline timeline =
          PhaseTimeline.of(events.getOrDefault(ns, List.of()), sent.get(ns), cluster.goneAt(ns));
      if (timeline != null) {
        timelines.add(timeline);
      }
    }

    List<ApiRequest> journal = cluster.journal();
    Map<String, List<ApiRequest>> byRelease = new HashMap<>();
    int unattributed = 0;
    Set<String> wanted = Set.copyOf(finished);
    for (ApiRequest request : journal.subList(from, journal.size())) {
      if (!BenchCluster.fromOperator(request)) {
        continue;
      }
      String ns = RequestAudit.namespaceOf(request);
      if (ns == null) {
        unattributed++;
      } else if (wanted.contains(ns)) {
        byRelease.computeIfAbsent(ns, key -> new ArrayList<>()).add(request);
      }
    }
    List<RequestAudit.Tally> tallies =
        finished.stream()
            .map(ns -> RequestAudit.classify(byRelease.getOrDefault(ns, List.of())))
            .toList();
    String metrics =
        cluster.operator() == null ? "" : cluster.operator().metrics().registry().scrape();
    List<ApiRequest> firstList = byRelease.getOrDefault(firstSent, List.of());
    List<RequestAudit.Category> firstCategories = RequestAudit.categorize(firstList);
    List<String> firstRequests = new ArrayList<>();
    for (int i = 0; i < firstList.size(); i++) {
      ApiRequest request = firstList.get(i);
      firstRequests.add(
          String.format(
              "%-6s %-7s %-6s %s  # %s",
              firstCategories.get(i).needed ? "needed" : "extra",
              RequestAudit.sender(request),
              request.method(),
              request.path(),
              firstCategories.get(i).label));
    }
    return new TeardownRun(
        name,
        namespaces.size(),
        finished.size(),
        capped,
        cap,
        Duration.between(first, last),
        Stats.ofDurations(durations),
        timelines,
        tallies,
        unattributed,
        threads,
        metrics,
        firstRequests,
        cpuUsed
            / (double) Duration.between(first, last).toNanos()
            / Runtime.getRuntime().availableProcessors(),
        unfinishedPhases(cluster, namespaces));
  }

  /** "308 in PreDeleteHooks, 186 in DaemonSets", in phase order. */
  static String describe(Map<String, Integer> phases) {
    List<String> parts = new ArrayList<>();
    for (TeardownPhase phase : TeardownPhase.values()) {
      Integer count = phases.get("TearingDown:" + phase);
      if (count != null) {
        parts.add(count + " in " + phase);
      }
    }
    phases.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("TearingDown:"))
        .forEach(e -> parts.add(e.getValue() + " " + e.getKey()));
    return String.join(", ", parts);
  }

  /** Where the releases still present stand, by status.phase. */
  private static Map<String, Integer> unfinishedPhases(
      BenchCluster cluster, List<String> namespaces) {
    Set<String> wanted = Set.copyOf(namespaces);
    Map<String, Integer> phases = new TreeMap<>();
    cluster.driver().resources(OrderedRelease.class).inAnyNamespace().list().getItems().stream()
        .filter(r -> wanted.contains(r.getMetadata().getNamespace()))
        .forEach(
            r ->
                phases.merge(
                    r.getStatus() == null || r.getStatus().getPhase() == null
                        ? "not started"
                        : r.getStatus().getPhase(),
                    1,
                    Integer::sum));
    return phases;
  }

  private static Map<String, List<Event>> eventsByNamespace(
      BenchCluster cluster, Set<String> namespaces) {
    return cluster.driver().v1().events().inAnyNamespace().list().getItems().stream()
        .filter(e -> namespaces.contains(e.getMetadata().getNamespace()))
        .filter(e -> "OrderedRelease".equals(e.getInvolvedObject().getKind()))
        .filter(e -> BenchCluster.RELEASE.equals(e.getInvolvedObject().getName()))
        .collect(Collectors.groupingBy(e -> e.getMetadata().getNamespace()));
  }
}
