package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.DependencyReference;
import dev.orderly.api.OrderedRelease;
import dev.orderly.cache.Trimmed;
import dev.orderly.dependencies.DependencyGraph.Key;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which changes of an OrderedRelease wake the releases tied to it by spec.dependsOn. */
class DependencyChangesTest {
  static Stream<Arguments> updates() {
    return Stream.of(
        Arguments.of("becomes Ready", (Consumer<OrderedRelease>) r -> ready(r, "True"), true),
        Arguments.of(
            "deletion starts",
            (Consumer<OrderedRelease>)
                r -> r.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z"),
            true),
        Arguments.of(
            "dependsOn changes",
            (Consumer<OrderedRelease>)
                r -> r.getSpec().setDependsOn(List.of(new DependencyReference("op", null))),
            true),
        Arguments.of(
            "heartbeat",
            (Consumer<OrderedRelease>)
                r -> r.getStatus().setLastReconcileTime("2026-01-01T00:00:00Z"),
            false),
        Arguments.of(
            "Ready stays False with another reason",
            (Consumer<OrderedRelease>) r -> ready(r, "Unknown"),
            false));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("updates")
  void wakesOnlyForWhatDependentsAndDependenciesWaitFor(
      String change, Consumer<OrderedRelease> edit, boolean wakes) {
    OrderedRelease before = Releases.ofChart("ns", "a", Path.of("/c"));
    before.setStatus(new dev.orderly.api.OrderedReleaseStatus());
    ready(before, "False");
    OrderedRelease after = Serialization.clone(before);
    edit.accept(after);
    assertThat(new DependencyChanges().accept(after, before)).isEqualTo(wakes);
    // The dependency informer keeps trimmed copies: the previous one it hands over is trimmed.
    assertThat(new DependencyChanges().accept(after, Trimmed.dependencyNode(before)))
        .as("against the trimmed copy the cache keeps")
        .isEqualTo(wakes);
    assertThat(DependencyChanges.dropped(after, Trimmed.dependencyNode(before)))
        .isEqualTo(DependencyChanges.dropped(after, before));
  }

  @Test
  void aDroppedDependencyIsWokenAsWellAsTheCurrentOnes() {
    OrderedRelease before = Releases.ofChart("shop", "app", Path.of("/c"));
    before
        .getSpec()
        .setDependsOn(
            List.of(
                new DependencyReference("db", null),
                new DependencyReference("op", "operators"),
                new DependencyReference("cache", null)));
    OrderedRelease after = Serialization.clone(before);
    after
        .getSpec()
        .setDependsOn(
            List.of(new DependencyReference("cache", "shop"), new DependencyReference("mq", null)));
    assertThat(new DependencyChanges().accept(after, before)).isTrue();
    assertThat(DependencyChanges.dropped(after, before))
        .containsExactly(new Key("shop", "db"), new Key("operators", "op"));
    assertThat(DependencyChanges.dropped(before, before)).isEmpty();
    assertThat(DependencyChanges.dropped(before, after))
        .as("the reverse edit drops mq")
        .containsExactly(new Key("shop", "mq"));
  }

  @Test
  void indexesEachDependencyWithItsNamespaceDefaulted() {
    OrderedRelease release = Releases.ofChart("shop", "app", Path.of("/c"));
    release
        .getSpec()
        .setDependsOn(
            List.of(
                new DependencyReference("db", null),
                new DependencyReference("op", "operators"),
                new DependencyReference("db", "shop")));
    assertThat(ReleaseEventSources.dependencyKeys(release))
        .containsExactly("shop/db", "operators/op");
  }

  private static void ready(OrderedRelease release, String status) {
    release.getStatus().getConditions().clear();
    release
        .getStatus()
        .getConditions()
        .add(new ConditionBuilder().withType("Ready").withStatus(status).build());
  }
}
