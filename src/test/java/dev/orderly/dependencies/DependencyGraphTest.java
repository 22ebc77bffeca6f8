package dev.orderly.dependencies;

import static dev.orderly.dependencies.Graphs.key;
import static dev.orderly.dependencies.Graphs.keys;
import static dev.orderly.dependencies.Graphs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.dependencies.DependencyGraph.InstallVerdict;
import dev.orderly.dependencies.DependencyGraph.Key;
import dev.orderly.dependencies.DependencyGraph.Node;
import dev.orderly.dependencies.DependencyGraph.TeardownOrder;
import dev.orderly.dependencies.DependencyGraph.TeardownVerdict;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who waits for whom: installs for Ready dependencies, teardowns for dependents to be gone. */
class DependencyGraphTest {

  static Stream<Arguments> installs() {
    return Stream.of(
        // graph, release, verdict
        Arguments.of("a", "a", "Proceed"),
        Arguments.of("a:b b*", "a", "Proceed"),
        Arguments.of("a:b b", "a", "DependencyNotReady ns/b"),
        Arguments.of("a:b,c b* c", "a", "DependencyNotReady ns/c"),
        Arguments.of("a:c,b b c", "a", "DependencyNotReady ns/c"),
        Arguments.of("a:b", "a", "DependencyNotFound ns/b"),
        Arguments.of("a:b,other/b b*", "a", "DependencyNotFound other/b"),
        Arguments.of("a:other/b other/b*", "a", "Proceed"),
        Arguments.of("a:other/b other/b", "a", "DependencyNotReady other/b"),
        Arguments.of("a:a", "a", "DependencyCycle ns/a → ns/a"),
        Arguments.of("a:b b:a", "a", "DependencyCycle ns/a → ns/b → ns/a"),
        Arguments.of("a:b b*:c c:a", "b", "DependencyCycle ns/b → ns/c → ns/a → ns/b"),
        // A cycle behind a dependency is the dependency's to report; this one waits for it.
        Arguments.of("a:b b:c c:b", "a", "DependencyNotReady ns/b"),
        // A cycle beats a missing dependency: it needs a spec change either way.
        Arguments.of("a:b,x b:a", "a", "DependencyCycle ns/a → ns/b → ns/a"),
        // A diamond is not a cycle.
        Arguments.of("a:b,c b:d c:d d*", "a", "DependencyNotReady ns/b"),
        Arguments.of("a:b,c b*:d c*:d d*", "a", "Proceed"));
  }

  @ParameterizedTest(name = "{0}: {1} → {2}")
  @MethodSource("installs")
  void anInstallWaitsForEveryDependencyToBeReady(String graph, String release, String verdict) {
    assertThat(render(parse(graph).beforeInstall(key(release)))).isEqualTo(verdict);
  }

  static Stream<Arguments> teardowns() {
    return Stream.of(
        Arguments.of("a", "a", "Proceed"),
        Arguments.of("a:b b", "a", "Proceed"),
        Arguments.of("a:b b", "b", "WaitForDependents ns/a"),
        Arguments.of("a:c b:c c", "c", "WaitForDependents ns/a, ns/b"),
        Arguments.of("x/a:ns/c ns/c", "c", "WaitForDependents x/a"),
        // Only direct dependents: a waits for b's teardown, which waits for it in turn.
        Arguments.of("a:b b:c c", "c", "WaitForDependents ns/b"),
        Arguments.of("a:b b:a", "a", "Cycle ns/a → ns/b → ns/a waiting for ns/b"),
        Arguments.of("a:a", "a", "Cycle ns/a → ns/a waiting for ns/a"),
        // A missing dependency of a dependent holds nobody.
        Arguments.of("a:b,x b", "b", "WaitForDependents ns/a"));
  }

  @ParameterizedTest(name = "{0}: {1} → {2}")
  @MethodSource("teardowns")
  void aTeardownWaitsForItsDependentsToBeGone(String graph, String release, String verdict) {
    assertThat(render(parse(graph).beforeTeardown(key(release)))).isEqualTo(verdict);
  }

  static Stream<Arguments> orders() {
    return Stream.of(
        // graph, deleted set, waves ("|" between waves), releases that never start
        Arguments.of("app:crs crs:op op", "app,crs,op", "ns/app | ns/crs | ns/op", ""),
        Arguments.of("a b c", "a,b,c", "ns/a, ns/b, ns/c", ""),
        Arguments.of("a:c b:c c d", "a,b,c,d", "ns/a, ns/b, ns/d | ns/c", ""),
        Arguments.of("a:b,c b:c c", "a,b,c", "ns/a | ns/b | ns/c", ""),
        Arguments.of("x/app:ns/op ns/op", "x/app,op", "x/app | ns/op", ""),
        // A dependent outside the set stays, so what it depends on never starts.
        Arguments.of(
            "app:crs crs:op op",
            "crs,op",
            "",
            "ns/crs: waits for ns/app, which would not be deleted; ns/op: waits for ns/crs,"
                + " which never start"),
        Arguments.of(
            "a:b b:a c",
            "a,b,c",
            "ns/c",
            "ns/a: dependency cycle ns/a → ns/b → ns/a; ns/b:"
                + " dependency cycle ns/b → ns/a → ns/b"));
  }

  @ParameterizedTest(name = "{0} deleting {1}: {2}")
  @MethodSource("orders")
  void aSetComesDownLeavesFirstRootsLast(String graph, String set, String waves, String waiting) {
    TeardownOrder order = parse(graph).teardownOrder(keys(set));
    assertThat(order.waves().stream().map(DependencyGraph::join).collect(Collectors.joining(" | ")))
        .isEqualTo(waves);
    assertThat(
            order.waiting().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("; ")))
        .isEqualTo(waiting);
  }

  @Test
  void aReleaseThatDoesNotWaitForItsDependentsStartsInTheFirstWave() {
    // op is forced (or uninstall.waitForDependents: false): it goes with app, and crs, which
    // still waits for app, goes after; a dependent outside the set holds it no more either.
    TeardownOrder order = parse("app:crs crs:op op").teardownOrder(keys("app,crs,op"), keys("op"));
    assertThat(order.waves().stream().map(DependencyGraph::join).toList())
        .containsExactly("ns/app, ns/op", "ns/crs");
    assertThat(order.waiting()).isEmpty();
    TeardownOrder alone = parse("app:op op").teardownOrder(keys("op"), keys("op"));
    assertThat(alone.waves()).containsExactly(keys("op"));
    assertThat(alone.waiting()).isEmpty();
  }

  @Test
  void refusedCrossNamespaceEdgesAreLeftOutOfTheGraph() {
    OrderedRelease app = release("team-a", "app");
    app.getSpec()
        .setDependsOn(
            List.of(
                new DependencyReference("db", "team-b"), new DependencyReference("cache", null)));
    OrderedRelease db = release("team-b", "db");
    OrderedRelease cache = release("team-a", "cache");

    DependencyGraph refused = ReleaseNodes.graph(List.of(app, db, cache), false);
    assertThat(refused.beforeTeardown(new Key("team-b", "db")))
        .as("team-a's edge cannot hold team-b's teardown")
        .isEqualTo(new TeardownVerdict.Proceed());
    assertThat(refused.beforeTeardown(new Key("team-a", "cache")))
        .isEqualTo(new TeardownVerdict.WaitForDependents(List.of(new Key("team-a", "app"))));
    assertThat(ReleaseNodes.node(app, false).dependsOn())
        .containsExactly(new Key("team-a", "cache"));

    DependencyGraph allowed = ReleaseNodes.graph(List.of(app, db, cache), true);
    assertThat(allowed.beforeTeardown(new Key("team-b", "db")))
        .isEqualTo(new TeardownVerdict.WaitForDependents(List.of(new Key("team-a", "app"))));
    assertThat(ReleaseNodes.graph(List.of(app, db, cache)).dependentsOf(key("team-b/db")))
        .as("by default every edge counts")
        .containsExactly(new Key("team-a", "app"));
  }

  private static OrderedRelease release(String namespace, String name) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    release.setSpec(new OrderedReleaseSpec());
    return release;
  }

  @Test
  void aFresherNodeReplacesTheCachedOne() {
    DependencyGraph cached = parse("a:b b");
    DependencyGraph fresh = cached.with(new Node(key("a"), List.of(), false));
    assertThat(fresh.beforeTeardown(key("b"))).isEqualTo(new TeardownVerdict.Proceed());
    assertThat(cached.beforeTeardown(key("b")))
        .as("the snapshot itself is unchanged")
        .isEqualTo(new TeardownVerdict.WaitForDependents(List.of(key("a"))));
  }

  @Test
  void messagesSayWhatIsWrongAndWhatToDo() {
    assertThat(parse("a:x,y").beforeInstall(key("a")).message())
        .isEqualTo(
            "spec.dependsOn names ns/x, ns/y, which are not an OrderedRelease in a namespace the"
                + " operator watches; create them or remove them from spec.dependsOn");
    assertThat(parse("a:b b:a").beforeInstall(key("a")).message())
        .isEqualTo(
            "spec.dependsOn forms a dependency cycle ns/a → ns/b → ns/a: none of them can be"
                + " installed first; remove one of these dependencies");
    assertThat(parse("a:b b").beforeInstall(key("a")).message())
        .isEqualTo("waiting for the dependency ns/b to be Ready");
  }

  private static String render(InstallVerdict verdict) {
    if (verdict instanceof InstallVerdict.NotReady n) {
      return n.reason() + " " + n.dependency();
    }
    if (verdict instanceof InstallVerdict.Missing m) {
      return m.reason() + " " + DependencyGraph.join(m.missing());
    }
    if (verdict instanceof InstallVerdict.Cycle c) {
      return c.reason() + " " + DependencyGraph.describe(c.cycle());
    }
    return "Proceed";
  }

  private static String render(TeardownVerdict verdict) {
    if (verdict instanceof TeardownVerdict.WaitForDependents w) {
      return "WaitForDependents " + DependencyGraph.join(w.dependents());
    }
    if (verdict instanceof TeardownVerdict.Cycle c) {
      return "Cycle "
          + DependencyGraph.describe(c.cycle())
          + " waiting for "
          + DependencyGraph.join(c.dependents());
    }
    return "Proceed";
  }
}
