package dev.orderly.dependencies;

import dev.orderly.api.ConditionTypes;
import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.dependencies.DependencyGraph.Key;
import dev.orderly.dependencies.DependencyGraph.Node;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Reads OrderedReleases as nodes of a {@link DependencyGraph}. Pure. */
public final class ReleaseNodes {
  private ReleaseNodes() {}

  /** The graph of {@code releases}, with every dependsOn edge. */
  public static DependencyGraph graph(Collection<OrderedRelease> releases) {
    return graph(releases, true);
  }

  /**
   * The graph of {@code releases}.
   *
   * @param crossNamespace false leaves out the dependsOn edges into another namespace, as an
   *     operator run with --no-cross-namespace-refs refuses them: such an edge must neither order
   *     an install nor hold another namespace's teardown (the release naming it is stalled)
   */
  public static DependencyGraph graph(Collection<OrderedRelease> releases, boolean crossNamespace) {
    return DependencyGraph.of(releases.stream().map(r -> node(r, crossNamespace)).toList());
  }

  /** {@code release} as a node: its dependencies, namespaces defaulted, and whether it is Ready. */
  public static Node node(OrderedRelease release) {
    return node(release, true);
  }

  /** As {@link #node(OrderedRelease)}; without {@code crossNamespace}, its own namespace's only. */
  public static Node node(OrderedRelease release, boolean crossNamespace) {
    String own = release.getMetadata().getNamespace();
    List<Key> edges =
        dependsOn(release).stream()
            .filter(k -> crossNamespace || k.namespace().equals(own))
            .toList();
    return new Node(key(release), edges, ready(release));
  }

  public static Key key(OrderedRelease release) {
    return new Key(release.getMetadata().getNamespace(), release.getMetadata().getName());
  }

  /** spec.dependsOn with each namespace defaulted to the release's own; empty without a spec. */
  public static List<Key> dependsOn(OrderedRelease release) {
    if (release.getSpec() == null) {
      return List.of();
    }
    String own = release.getMetadata().getNamespace();
    return release.getSpec().getDependsOn().stream()
        .filter(Objects::nonNull)
        .filter(ref -> ref.getName() != null && !ref.getName().isBlank())
        .map(ref -> keyOf(ref, own))
        .toList();
  }

  /** Ready=True and not being deleted: what a dependent waits for before it installs. */
  public static boolean ready(OrderedRelease release) {
    return !release.isMarkedForDeletion()
        && release.getStatus() != null
        && release.getStatus().getConditions().stream()
            .anyMatch(
                c -> ConditionTypes.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Key keyOf(DependencyReference ref, String own) {
    String namespace =
        ref.getNamespace() == null || ref.getNamespace().isBlank() ? own : ref.getNamespace();
    return new Key(namespace, ref.getName());
  }
}
