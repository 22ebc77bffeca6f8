package dev.orderly.bench;

import dev.orderly.api.TeardownPhase;
import java.util.List;

/**
 * What the benchmark chart ({@code src/test/resources/charts/bench}) holds, for the minimum request
 * count: names as rendered for release {@value BenchCluster#RELEASE}.
 */
final class BenchChart {
  static final String R = BenchCluster.RELEASE;

  /** The pre-delete hooks, in the order they run; each has hook-succeeded, so each is deleted. */
  static final List<String> HOOKS = List.of(R + "-hook", R + "-hook-script", R + "-drain");

  static final int DAEMONSETS = 2;

  /** Every object the teardown deletes besides hooks: 2 DaemonSets and 20 others. */
  static final int OBJECTS = 22;

  /** Phase changes a teardown makes: into each of PreDeleteHooks .. Namespaces, then Done. */
  static final int PHASES = TeardownPhase.values().length;

  private BenchChart() {}
}
