package dev.orderly.cli;

import java.util.Map;
import java.util.function.Supplier;

/**
 * This process's name in the leader election, on its Events and in its logs. It must differ between
 * any two processes that compete for the Lease: a process that finds its own identity in the Lease
 * takes itself for the holder, so two processes with one name both lead.
 */
final class LeaderIdentity {
  private LeaderIdentity() {}

  /**
   * {@code POD_NAME} when set (unique among the pods of a namespace, and what {@code kubectl}
   * shows); otherwise the host name, the process id and a random suffix, because one host (or two
   * containers with the same host name and pid 1) can run several processes.
   *
   * @param env the process environment
   * @param hostname the machine's name
   * @param pid this process's id
   * @param suffix a random suffix
   */
  static String of(Map<String, String> env, Supplier<String> hostname, long pid, String suffix) {
    String podName = env.get("POD_NAME");
    if (podName != null && !podName.isBlank()) {
      return podName.trim();
    }
    return hostname.get() + "-" + pid + "-" + suffix;
  }
}
