package dev.orderly.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelevantChangesTest {
  static Stream<Arguments> updates() {
    return Stream.of(
        Arguments.of(
            "spec change (new generation)",
            (Consumer<OrderedRelease>) r -> r.getMetadata().setGeneration(2L),
            true),
        Arguments.of(
            "deletion starts",
            (Consumer<OrderedRelease>)
                r -> r.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z"),
            true),
        Arguments.of(
            "finalizer added",
            (Consumer<OrderedRelease>)
                r -> r.getMetadata().setFinalizers(List.of(OrderedRelease.FINALIZER)),
            true),
        Arguments.of(
            "escape hatch annotated",
            (Consumer<OrderedRelease>)
                r -> r.getMetadata().getAnnotations().put("orderly.dev/force", "true"),
            true),
        Arguments.of(
            "status only",
            (Consumer<OrderedRelease>) r -> r.getStatus().setPhase("Deployed"),
            false),
        Arguments.of(
            "resourceVersion only",
            (Consumer<OrderedRelease>) r -> r.getMetadata().setResourceVersion("99"),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updates")
  void wakesOnlyForChangesThatMatter(String what, Consumer<OrderedRelease> change, boolean wakes) {
    OrderedRelease before = SpecValidatorTest.valid();
    before.getMetadata().setGeneration(1L);
    before.setStatus(new OrderedReleaseStatus());
    OrderedRelease after = Serialization.clone(before);
    change.accept(after);
    assertThat(new RelevantChanges().accept(after, before)).isEqualTo(wakes);
  }
}
