package dev.orderly.helm;

import sun.misc.Signal;

/**
 * Takes SIGTERM and SIGINT back from Helm. helm-java runs Helm's Go code in-process, and Helm's
 * install path calls Go's {@code signal.Notify}, which replaces the JVM's handlers: afterwards the
 * pod would ignore SIGTERM and only die by SIGKILL, skipping graceful shutdown.
 */
public final class JvmSignals {
  private JvmSignals() {}

  /** Re-installs handlers that exit the JVM (running shutdown hooks) as the JVM's own would. */
  public static void reclaim() {
    for (String name : new String[] {"TERM", "INT"}) {
      // Exit status 128 + signal number, as a shell reports a process killed by that signal.
      Signal.handle(new Signal(name), signal -> System.exit(128 + signal.getNumber()));
    }
  }
}
