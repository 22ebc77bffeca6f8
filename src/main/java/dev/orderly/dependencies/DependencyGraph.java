package dev.orderly.dependencies;

import dev.orderly.api.ConditionTypes.Reasons;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot of OrderedReleases and their spec.dependsOn edges, and the decisions taken from it:
 * whether one may be installed (every dependency Ready), whether one may start its teardown (no
 * dependent left), cycles, missing dependencies, and the waves in which a set comes down. Pure and
 * immutable.
 */
public final class DependencyGraph {
  /** An OrderedRelease by namespace and name. */
  public record Key(String namespace, String name) implements Comparable<Key> {
    private static final Comparator<Key> ORDER =
        Comparator.comparing(Key::namespace).thenComparing(Key::name);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /**
   * One OrderedRelease as the graph needs it.
   *
   * @param dependsOn its dependencies, namespaces already defaulted, in spec order
   * @param ready whether it is Ready=True and not being deleted
   */
  public record Node(Key key, List<Key> dependsOn, boolean ready) {
    public Node {
      dependsOn = List.copyOf(new LinkedHashSet<>(dependsOn));
    }
  }

  /** What an install or upgrade of one release waits for, with its condition reason and message. */
  public sealed interface InstallVerdict {
    /** The condition reason; null for {@link Proceed}. */
    String reason();

    /** What is wrong or awaited, and what to do; null for {@link Proceed}. */
    String message();

    /** Every dependency exists and is Ready. */
    record Proceed() implements InstallVerdict {
      @Override
      public String reason() {
        return null;
      }

      @Override
      public String message() {
        return null;
      }
    }

    /** Its dependencies lead back to it: {@code cycle} starts and ends with it. */
    record Cycle(List<Key> cycle) implements InstallVerdict {
      @Override
      public String reason() {
        return Reasons.DEPENDENCY_CYCLE;
      }

      @Override
      public String message() {
        return "spec.dependsOn forms a dependency cycle "
            + describe(cycle)
            + ": none of them can be installed first; remove one of these dependencies";
      }
    }

    /** These dependencies do not exist. */
    record Missing(List<Key> missing) implements InstallVerdict {
      @Override
      public String reason() {
        return Reasons.DEPENDENCY_NOT_FOUND;
      }

      @Override
      public String message() {
        return "spec.dependsOn names "
            + join(missing)
            + ", which "
            + (missing.size() == 1 ? "is" : "are")
            + " not an OrderedRelease in a namespace the operator watches; create "
            + (missing.size() == 1 ? "it" : "them")
            + " or remove "
            + (missing.size() == 1 ? "it" : "them")
            + " from spec.dependsOn";
      }
    }

    /** The first dependency, in spec order, that is not Ready. */
    record NotReady(Key dependency) implements InstallVerdict {
      @Override
      public String reason() {
        return Reasons.DEPENDENCY_NOT_READY;
      }

      @Override
      public String message() {
        return "waiting for the dependency " + dependency + " to be Ready";
      }
    }
  }

  /** What the teardown of one deleted release waits for before its first phase. */
  public sealed interface TeardownVerdict {
    /** No OrderedRelease depends on it any more. */
    record Proceed() implements TeardownVerdict {}

    /** It is on a dependency cycle, so waiting would never end. */
    record Cycle(List<Key> cycle, List<Key> dependents) implements TeardownVerdict {}

    /** These OrderedReleases, which depend on it, still exist. */
    record WaitForDependents(List<Key> dependents) implements TeardownVerdict {}
  }

  /**
   * The order in which a set of releases comes down when all are deleted at once.
   *
   * @param waves the releases in each wave, leaves first; a wave starts once the one before is
   *     gone, and the releases of one wave go down in parallel
   * @param waiting releases that never start, each with what it waits for: a dependent outside the
   *     set, or a cycle
   */
  public record TeardownOrder(List<List<Key>> waves, Map<Key, String> waiting) {}

  private final Map<Key, Node> nodes;
  private final Map<Key, List<Key>> dependents;

  private DependencyGraph(Map<Key, Node> nodes) {
    this.nodes = nodes;
    Map<Key, Set<Key>> reverse = new HashMap<>();
    for (Node node : nodes.values()) {
      for (Key dependency : node.dependsOn()) {
        reverse.computeIfAbsent(dependency, k -> new TreeSet<>()).add(node.key());
      }
    }
    Map<Key, List<Key>> sorted = new HashMap<>();
    reverse.forEach((key, set) -> sorted.put(key, List.copyOf(set)));
    this.dependents = sorted;
  }

  /** The graph of {@code nodes}; a later node of the same key replaces an earlier one. */
  public static DependencyGraph of(Collection<Node> nodes) {
    Map<Key, Node> byKey = new TreeMap<>();
    nodes.forEach(node -> byKey.put(node.key(), node));
    return new DependencyGraph(byKey);
  }

  /** This graph with {@code node} in place of its stored version, e.g. a fresher one. */
  public DependencyGraph with(Node node) {
    Map<Key, Node> copy = new TreeMap<>(nodes);
    copy.put(node.key(), node);
    return new DependencyGraph(copy);
  }

  /** Whether {@code self} may be installed or upgraded now. */
  public InstallVerdict beforeInstall(Key self) {
    Optional<List<Key>> cycle = cycleThrough(self);
    if (cycle.isPresent()) {
      return new InstallVerdict.Cycle(cycle.get());
    }
    List<Key> wanted = dependsOn(self);
    List<Key> missing = wanted.stream().filter(k -> !nodes.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      return new InstallVerdict.Missing(missing);
    }
    return wanted.stream()
        .filter(k -> !nodes.get(k).ready())
        .findFirst()
        .<InstallVerdict>map(InstallVerdict.NotReady::new)
        .orElse(new InstallVerdict.Proceed());
  }

  /** Whether the teardown of {@code self}, being deleted, may begin now. */
  public TeardownVerdict beforeTeardown(Key self) {
    List<Key> waitingOn = dependentsOf(self);
    if (waitingOn.isEmpty()) {
      return new TeardownVerdict.Proceed();
    }
    Optional<List<Key>> cycle = cycleThrough(self);
    if (cycle.isPresent()) {
      return new TeardownVerdict.Cycle(cycle.get(), waitingOn);
    }
    return new TeardownVerdict.WaitForDependents(waitingOn);
  }

  /** The OrderedReleases that name {@code key} in their dependsOn, sorted. */
  public List<Key> dependentsOf(Key key) {
    return dependents.getOrDefault(key, List.of());
  }

  /** The dependencies {@code key} names, in spec order; empty when it is unknown. */
  public List<Key> dependsOn(Key key) {
    Node node = nodes.get(key);
    return node == null ? List.of() : node.dependsOn();
  }

  /**
   * A cycle of dependsOn edges from {@code self} back to itself, as {@code [self, a, ..., self]};
   * empty when there is none. Only existing releases are followed.
   */
  public Optional<List<Key>> cycleThrough(Key self) {
    // Depth-first, keeping the path; the first edge back to self closes the cycle.
    Deque<Frame> stack = new ArrayDeque<>();
    Set<Key> visited = new HashSet<>();
    stack.push(new Frame(self, dependsOn(self)));
    visited.add(self);
    while (!stack.isEmpty()) {
      Frame top = stack.peek();
      if (top.index == top.next.size()) {
        stack.pop();
        continue;
      }
      Key next = top.next.get(top.index++);
      if (next.equals(self)) {
        List<Key> cycle = new ArrayList<>();
        stack.descendingIterator().forEachRemaining(frame -> cycle.add(frame.key));
        cycle.add(self);
        return Optional.of(List.copyOf(cycle));
      }
      if (nodes.containsKey(next) && visited.add(next)) {
        stack.push(new Frame(next, dependsOn(next)));
      }
    }
    return Optional.empty();
  }

  /**
   * The waves in which {@code set} comes down when all of it is deleted at once: a release starts
   * once every release that depends on it is gone. Releases outside the set are taken to stay.
   */
  public TeardownOrder teardownOrder(Collection<Key> set) {
    return teardownOrder(set, Set.of());
  }

  /**
   * As {@link #teardownOrder(Collection)}, where the releases {@code notWaiting} do not wait for
   * their dependents (orderly.dev/force, uninstall.waitForDependents: false), so those of the set
   * start in the first wave.
   */
  public TeardownOrder teardownOrder(Collection<Key> set, Collection<Key> notWaiting) {
    Set<Key> remaining = new TreeSet<>(set);
    List<List<Key>> waves = new ArrayList<>();
    while (true) {
      List<Key> wave =
          remaining.stream()
              .filter(
                  k ->
                      notWaiting.contains(k)
                          || dependentsOf(k).stream().noneMatch(d -> stays(d, remaining, set)))
              .toList();
      if (wave.isEmpty()) {
        break;
      }
      waves.add(wave);
      wave.forEach(remaining::remove);
    }
    Map<Key, String> waiting = new LinkedHashMap<>();
    for (Key key : remaining) {
      Optional<List<Key>> cycle = cycleThrough(key);
      List<Key> outside = dependentsOf(key).stream().filter(d -> !set.contains(d)).toList();
      if (cycle.isPresent()) {
        waiting.put(key, "dependency cycle " + describe(cycle.get()));
      } else if (!outside.isEmpty()) {
        waiting.put(key, "waits for " + join(outside) + ", which would not be deleted");
      } else {
        List<Key> blocked = dependentsOf(key).stream().filter(remaining::contains).toList();
        waiting.put(key, "waits for " + join(blocked) + ", which never start");
      }
    }
    return new TeardownOrder(List.copyOf(waves), waiting);
  }

  private static boolean stays(Key dependent, Set<Key> remaining, Collection<Key> set) {
    return remaining.contains(dependent) || !set.contains(dependent);
  }

  /** "a → b → a", for messages. */
  public static String describe(List<Key> cycle) {
    return String.join(" → ", cycle.stream().map(Key::toString).toList());
  }

  /** "a, b", for messages. */
  public static String join(List<Key> keys) {
    return String.join(", ", keys.stream().map(Key::toString).toList());
  }

  private static final class Frame {
    private final Key key;
    private final List<Key> next;
    private int index;

    private Frame(Key key, List<Key> next) {
      this.key = key;
      this.next = next;
    }
  }
}
