package dev.orderly.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Samples every thread's stack on a fixed schedule and sorts what the JOSDK reconciler threads were
 * doing. JOSDK names a pool thread {@code ReconcilerExecutor-orderedrelease-*} only while it runs a
 * reconcile or cleanup, so each sample of such a thread is: running, inside one API request
 * (blocking I/O on a single round trip), or parked waiting for the cluster to change (a sleep, wait
 * or park outside a request, a fabric8 wait-until, or a Helm call). Only the last breaks the rule
 * "never block a reconciler thread waiting for the cluster". It also notes how often the test API
 * server's event loop was busy, which shows when the server, not the operator, is the bottleneck.
 */
final class ThreadSampler implements AutoCloseable {
  static final String RECONCILER_PREFIX = "ReconcilerExecutor-orderedrelease";

  /** What a reconciler thread was doing in one sample. */
  enum Activity {
    OTHER,
    RUNNING,
    IN_API_REQUEST,
    WAITING_ON_CLUSTER
  }

  /** The outcome of a sampling run. */
  record Result(
      int samples,
      long intervalMs,
      int reconcilerThreads,
      Map<Activity, Integer> reconcilerActivity,
      List<String> waitingStacks,
      double apiServerBusyShare,
      double samplerCpuMs) {

    boolean neverWaitedOnCluster() {
      return reconcilerActivity.getOrDefault(Activity.WAITING_ON_CLUSTER, 0) == 0;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "bench-thread-sampler");
            thread.setDaemon(true);
            return thread;
          });
  private final long intervalMs;
  private final Map<Activity, Integer> activity = new LinkedHashMap<>();
  private final Map<String, Integer> waitingStacks = new LinkedHashMap<>();
  private final Set<String> reconcilers = new HashSet<>();
  private int samples;
  private int serverBusy;
  private long samplerCpuNanos;

  private ThreadSampler(long intervalMs) {
    this.intervalMs = intervalMs;
    for (Activity a : Activity.values()) {
      activity.put(a, 0);
    }
  }

  /** Starts sampling every {@code intervalMs} milliseconds. */
  static ThreadSampler start(long intervalMs) {
    ThreadSampler sampler = new ThreadSampler(intervalMs);
    sampler.timer.scheduleAtFixedRate(sampler::sample, 0, intervalMs, TimeUnit.MILLISECONDS);
    return sampler;
  }

  private synchronized void sample() {
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    samples++;
    boolean busy = false;
    // ThreadInfo gives each thread's state and stack from the same moment.
    for (ThreadInfo thread : THREADS.dumpAllThreads(false, false)) {
      StackTraceElement[] stack = thread.getStackTrace();
      if (thread.getThreadName().startsWith(RECONCILER_PREFIX)) {
        reconcilers.add(thread.getThreadName());
        Activity what = classify(thread.getThreadState(), stack);
        activity.merge(what, 1, Integer::sum);
        if (what == Activity.WAITING_ON_CLUSTER) {
          waitingStacks.merge(describe(stack), 1, Integer::sum);
        }
      } else if (thread.getThreadName().startsWith("vert.x-eventloop")
          && thread.getThreadState() == Thread.State.RUNNABLE
          && Arrays.stream(stack).anyMatch(ThreadSampler::serverFrame)) {
        busy = true;
      }
    }
    if (busy) {
      serverBusy++;
    }
    samplerCpuNanos += THREADS.getCurrentThreadCpuTime() - cpuStart;
  }

  static Activity classify(Thread.State state, StackTraceElement[] stack) {
    boolean ours = Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("dev.orderly"));
    boolean framework =
        Arrays.stream(stack)
            .anyMatch(f -> f.getClassName().startsWith("io.javaoperatorsdk.operator.processing"));
    if (!ours && !framework) {
      return Activity.OTHER;
    }
    boolean clusterWait =
        Arrays.stream(stack)
            .anyMatch(
                f ->
                    f.getClassName().startsWith("com.marcnuri.helm")
                        || f.getMethodName().startsWith("waitUntil")
                        || f.getMethodName().equals("informOnCondition")
                        || (f.getClassName().equals("java.lang.Thread")
                            && f.getMethodName().equals("sleep")));
    if (clusterWait) {
      return Activity.WAITING_ON_CLUSTER;
    }
    if (state == Thread.State.RUNNABLE) {
      return Activity.RUNNING;
    }
    boolean request =
        Arrays.stream(stack)
            .anyMatch(
                f ->
                    f.getClassName().startsWith("io.fabric8.kubernetes.client")
                        || f.getClassName().startsWith("java.net.http")
                        || f.getClassName().startsWith("jdk.internal.net.http"));
    return request ? Activity.IN_API_REQUEST : Activity.WAITING_ON_CLUSTER;
  }

  private static boolean serverFrame(StackTraceElement frame) {
    return frame.getClassName().startsWith("io.fabric8.kubernetes.client.server.mock")
        || frame.getClassName().startsWith("io.fabric8.mockwebserver.crud")
        || frame.getClassName().startsWith("dev.orderly.testsupport");
  }

  private static String describe(StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>();
    for (StackTraceElement frame : stack) {
      frames.add(frame.getClassName() + "." + frame.getMethodName());
      if (frame.getClassName().startsWith("dev.orderly") || frames.size() == 8) {
        break;
      }
    }
    return String.join(" < ", frames);
  }

  /** Stops sampling and returns what was seen. */
  @Override
  public synchronized void close() {
    timer.shutdownNow();
  }

  synchronized Result result() {
    List<String> stacks =
        waitingStacks.entrySet().stream()
            .map(e -> e.getValue() + "x " + e.getKey())
            .collect(Collectors.toList());
    return new Result(
        samples,
        intervalMs,
        reconcilers.size(),
        new LinkedHashMap<>(activity),
        stacks,
        samples == 0 ? 0 : (double) serverBusy / samples,
        samplerCpuNanos / 1e6);
  }
}
