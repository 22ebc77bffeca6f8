package dev.orderly.testsupport;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Errors a test injects into the {@link TestApiServer}: a request whose method and path (without
 * the query) match a fault is answered with that fault's status code and a {@code Status} body
 * instead of being served, so nothing changes in the store. Each fault answers a given number of
 * times, or until cleared. Requests are still journaled.
 *
 * <pre>{@code
 * Fault fault = server.faults().answer("DELETE", "/apis/apps/v1/namespaces/a/daemonsets/x", 503, 2);
 * }</pre>
 */
public final class ApiFaults {
  private final List<Fault> faults = new CopyOnWriteArrayList<>();

  /** Answers the next {@code times} requests matching {@code method} and {@code path} with code. */
  public Fault answer(String method, String path, int code, int times) {
    Fault fault = new Fault(method.toUpperCase(Locale.ROOT), path, code, times, 1);
    faults.add(fault);
    return fault;
  }

  /**
   * Answers every other request matching {@code method} and {@code path} with code, the first one
   * included, {@code times} times in all: each first try fails and its retry is served.
   */
  public Fault answerEveryOther(String method, String path, int code, int times) {
    Fault fault = new Fault(method.toUpperCase(Locale.ROOT), path, code, times, 2);
    faults.add(fault);
    return fault;
  }

  /** Answers every request matching {@code method} and {@code path} with code until cleared. */
  public Fault answerUntilCleared(String method, String path, int code) {
    return answer(method, path, code, Integer.MAX_VALUE);
  }

  /** The injected answer to this request, if a fault matches and has answers left. */
  Optional<MockResponse> answerTo(String method, String path) {
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    for (Fault fault : faults) {
      if (fault.matches(method, bare) && fault.take()) {
        return Optional.of(
            ApiStatus.failure(
                fault.code,
                ApiStatus.reason(fault.code, method),
                "injected fault " + fault.code + " for " + method + " " + bare));
      }
    }
    return Optional.empty();
  }

  /** One injected error; {@link #hits()} says how often it answered. */
  public static final class Fault {
    private final String method;
    private final String path;
    private final int code;
    private final AtomicInteger remaining;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger seen = new AtomicInteger();
    private final int period;

    private Fault(String method, String path, int code, int times, int period) {
      this.method = method;
      this.path = path;
      this.code = code;
      this.remaining = new AtomicInteger(times);
      this.period = period;
    }

    /** Stops answering: the next matching request is served as usual. */
    public void clear() {
      remaining.set(0);
    }

    /** How many requests it answered so far. */
    public int hits() {
      return hits.get();
    }

    private boolean matches(String method, String path) {
      return this.method.equals(method) && this.path.equals(path);
    }

    private synchronized boolean take() {
      if (seen.getAndIncrement() % period != 0) {
        return false;
      }
      if (remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        hits.incrementAndGet();
        return true;
      }
      return false;
    }
  }
}
