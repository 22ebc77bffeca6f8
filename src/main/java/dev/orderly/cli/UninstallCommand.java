package dev.orderly.cli;

import dev.orderly.reconciler.CrashPoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * {@code orderly uninstall RELEASE}: the operator's ordered teardown of a Helm release, run from
 * the command line against the current kubeconfig context, no operator needed; a drop-in for {@code
 * helm uninstall}. Exit status: {@link #DONE} when everything is gone, {@link #FAILED} when the
 * teardown stopped on a failure, an API error included (or the release is not there, an
 * OrderedRelease manages it, or the kept progress is of an earlier installation), {@link #USAGE}
 * for a usage error or a cluster not reached before anything started, {@link #INTERRUPTED} after
 * Ctrl-C.
 */
final class UninstallCommand {
  static final int DONE = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int INTERRUPTED = 130;

  private UninstallCommand() {}

  /** Waits between looks at the cluster until woken or for at most a given time. */
  interface Waiter extends AutoCloseable {
    /** Returns when woken, or after {@code atMost}. */
    void await(Duration atMost);

    /** Ends the current or next wait at once. */
    void wake();

    @Override
    void close();
  }

  /** Opens a {@link Waiter} woken by what happens in a namespace. */
  interface WakeUps {
    Waiter open(KubernetesClient client, String namespace);
  }

  /** A request to stop after the current action (Ctrl-C), and whom to tell at once. */
  static final class Interruption {
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Runnable listener = () -> {};

    /** Asks the run to stop; a second request ends the process at once. */
    void request() {
      requested.set(true);
      listener.run();
    }

    boolean requested() {
      return requested.get();
    }

    void onRequest(Runnable listener) {
      this.listener = listener;
      if (requested()) {
        listener.run();
      }
    }

    /** An interruption that SIGINT requests; a second SIGINT exits at once with 130. */
    static Interruption onSigint() {
      Interruption interruption = new Interruption();
      Signal.handle(
          new Signal("INT"),
          signal -> {
            if (interruption.requested()) {
              System.exit(INTERRUPTED);
            }
            interruption.request();
          });
      return interruption;
    }
  }

  /**
   * What the command takes from its surroundings; tests give their own clock, wake-ups and
   * interruption.
   *
   * @param env the process environment (KUBECONFIG, HOME)
   */
  record Environment(
      Map<String, String> env,
      Clock clock,
      WakeUps wakeUps,
      Interruption interruption,
      CrashPoints crashPoints) {

    /** The real process: its environment, the system clock, watches and SIGINT. */
    static Environment system() {
      return new Environment(
          System.getenv(),
          Clock.systemUTC(),
          WatchWakeUps::open,
          Interruption.onSigint(),
          CrashPoints.parse(System.getenv(CrashPoints.ENVIRONMENT)));
    }
  }

  /**
   * Runs the command.
   *
   * @throws IllegalArgumentException for a usage mistake (exit status 2 from {@link Main})
   * @throws CommandFailure when the kubeconfig cannot be used or the cluster cannot be reached
   *     before anything started (an API error after that is a failure, {@link #FAILED})
   */
  static int run(
      Arguments arguments, PrintStream out, PrintStream err, Supplier<Environment> environments) {
    UninstallArgs args = UninstallArgs.parse(arguments);
    Environment environment = environments.get();
    ClusterTarget target = ClusterTarget.load(args.kubeconfig(), args.context(), environment.env());
    UninstallProgress progress = new UninstallProgress(out, err, args.json(), environment.clock());
    try (KubernetesClient client = target.quickClient();
        UninstallRun run =
            new UninstallRun(client, args, target.describe(), progress, environment)) {
      return run.run();
    } catch (UninstallRun.ConcurrentUninstall e) {
      progress.failed(null, "ConcurrentUninstall", e.getMessage(), List.of(), null);
      return FAILED;
    } catch (KubernetesClientException e) {
      throw target.failure(
          "uninstall release " + args.release() + " in namespace " + args.namespace(), e);
    }
  }

  /** {@code --dry-run}: the plan from Helm's record, as {@code plan --from-cluster}; no change. */
  static int dryRun(
      KubernetesClient client, UninstallArgs args, boolean resumable, UninstallProgress progress) {
    PlanReport report;
    try {
      report = PlanCommand.fromRecord(client, args.release(), args.namespace(), args.uninstall());
    } catch (IllegalArgumentException notFound) {
      progress.failed(null, "ReleaseNotFound", notFound.getMessage(), List.of(), null);
      return FAILED;
    }
    progress.plan(report, resumable);
    return DONE;
  }

  /** Wakes the waiting run on any change to Pods, Jobs or DaemonSets in the namespace. */
  static final class WatchWakeUps implements Waiter {
    private final Object lock = new Object();
    private final List<Watch> watches = new ArrayList<>();
    private boolean woken;

    static Waiter open(KubernetesClient client, String namespace) {
      WatchWakeUps waiter = new WatchWakeUps();
      try {
        waiter.watches.add(client.pods().inNamespace(namespace).watch(waiter.watcher()));
        waiter.watches.add(
            client.batch().v1().jobs().inNamespace(namespace).watch(waiter.watcher()));
        waiter.watches.add(
            client.apps().daemonSets().inNamespace(namespace).watch(waiter.watcher()));
      } catch (KubernetesClientException e) {
        // Only a wake-up: without it the bounded wait still brings the next look.
      }
      return waiter;
    }

    private <T> Watcher<T> watcher() {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T resource) {
          wake();
        }

        @Override
        public void onClose(WatcherException cause) {
          // The bounded wait goes on bringing the next look.
        }
      };
    }

    @Override
    public void await(Duration atMost) {
      long until = System.nanoTime() + atMost.toNanos();
      synchronized (lock) {
        try {
          while (!woken) {
            long left = until - System.nanoTime();
            if (left <= 0) {
              break;
            }
            lock.wait(Math.max(1, left / 1_000_000));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        woken = false;
      }
    }

    @Override
    public void wake() {
      synchronized (lock) {
        woken = true;
        lock.notifyAll();
      }
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }
}
