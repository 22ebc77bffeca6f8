package dev.orderly.reconciler;

import dev.orderly.helm.HelmFailure;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs Helm work on a pool of its own, at most one operation per resource, and wakes the resource
 * when an operation finishes. Helm may block for minutes (it waits for hooks), so reconciler
 * threads only start work here and read outcomes; they never wait for Helm.
 */
public class HelmOperations implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HelmOperations.class);

  /** What is known about a resource's Helm work for one input digest. */
  public sealed interface State permits Idle, Running, Finished {}

  /** Nothing runs and no outcome is kept. */
  public record Idle() implements State {}

  /** An operation runs for {@code digest}. */
  public record Running(String digest) implements State {}

  /**
   * The last operation ended; {@code failure} is empty when it succeeded. {@code reported} turns
   * true once the outcome has been announced, so a failure gets one Warning Event, not one per
   * look.
   */
  public record Finished(
      String digest,
      Object result,
      Optional<HelmFailure> failure,
      int attempt,
      Instant endedAt,
      boolean reported)
      implements State {}

  /** How long {@link #close()} waits for a Helm call under way. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final ExecutorService pool;
  private final Clock clock;
  private final Map<ResourceID, State> states = new ConcurrentHashMap<>();
  private volatile Consumer<ResourceID> wake = id -> {};

  public HelmOperations(int threads, Clock clock) {
    AtomicInteger counter = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "helm-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.clock = clock;
  }

  /** Sets what is called, from a Helm thread, when an operation finishes. */
  public void onFinished(Consumer<ResourceID> wake) {
    this.wake = wake;
  }

  /** The state of {@code id}'s work. */
  public State state(ResourceID id) {
    return states.getOrDefault(id, new Idle());
  }

  /**
   * Starts {@code work} for {@code id} unless an operation already runs for it.
   *
   * @param attempt how many times this digest has been tried, counting this one
   * @return false when another operation was still running
   */
  public boolean start(ResourceID id, String digest, int attempt, Supplier<Object> work) {
    Running running = new Running(digest);
    State previous = states.compute(id, (key, old) -> old instanceof Running ? old : running);
    if (previous != running) {
      return false;
    }
    pool.execute(() -> run(id, digest, attempt, work));
    return true;
  }

  /** Marks {@code id}'s finished outcome as announced; true only for the first caller. */
  public boolean markReported(ResourceID id) {
    boolean[] first = {false};
    states.computeIfPresent(
        id,
        (key, old) -> {
          if (old instanceof Finished f && !f.reported()) {
            first[0] = true;
            return new Finished(
                f.digest(), f.result(), f.failure(), f.attempt(), f.endedAt(), true);
          }
          return old;
        });
    return first[0];
  }

  /** Drops the kept outcome of {@code id}, e.g. once it is recorded in status. */
  public void forget(ResourceID id) {
    states.computeIfPresent(id, (key, old) -> old instanceof Running ? old : null);
  }

  private void run(ResourceID id, String digest, int attempt, Supplier<Object> work) {
    Finished outcome;
    // The same keys JOSDK sets on reconciler threads, so Helm's log lines name the release too.
    MDC.put("resource.name", id.getName());
    id.getNamespace().ifPresent(namespace -> MDC.put("resource.namespace", namespace));
    try {
      Object result = work.get();
      outcome = new Finished(digest, result, Optional.empty(), attempt, clock.instant(), false);
    } catch (HelmFailure failure) {
      // Status and an Event carry the reason too, but only the log keeps every attempt.
      LOG.warn(
          "Helm operation failed (attempt {}): {}: {}", attempt, failure.reason(), cause(failure));
      outcome = new Finished(digest, null, Optional.of(failure), attempt, clock.instant(), false);
    } catch (RuntimeException e) {
      LOG.warn("Helm operation for {} failed unexpectedly", id, e);
      HelmFailure failure = new HelmFailure("InternalError", String.valueOf(e), false, e);
      outcome = new Finished(digest, null, Optional.of(failure), attempt, clock.instant(), false);
    } finally {
      MDC.clear();
    }
    states.put(id, outcome);
    wake.accept(id);
  }

  /** The failure's message, and its cause's when the message does not already say it. */
  static String cause(HelmFailure failure) {
    Throwable cause = failure.getCause();
    String message = String.valueOf(failure.getMessage());
    if (cause == null || cause.getMessage() == null || message.contains(cause.getMessage())) {
      return message;
    }
    return message + " (caused by " + cause + ")";
  }

  /**
   * Stops the pool. A Helm call under way gets {@link #CLOSE_GRACE} to finish, then is abandoned:
   * it cannot be interrupted, and an install waiting for its hooks may take minutes, far beyond a
   * pod's grace period after SIGTERM.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
