package dev.orderly.teardown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.api.TeardownPhase;
import dev.orderly.api.TeardownStatus;
import dev.orderly.api.TeardownStep;
import dev.orderly.api.TeardownStep.State;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ledger's encoding, its name, and the summary's size bound. */
class TeardownLedgerTest {
  @Test
  void theRecordSurvivesTheRoundTripWithItsManifests() {
    TeardownStatus full = teardown(TeardownPhase.Workloads, 50, 3, 4096);
    full.getSteps().get(0).setState(State.Done);

    TeardownStatus back =
        TeardownLedger.decode(TeardownLedger.compress(TeardownLedger.recordJson(full)));

    assertThat(Serialization.asJson(back)).isEqualTo(TeardownLedger.recordJson(full));
    assertThat(back.getSteps()).hasSize(53);
    assertThat(back.getSteps().get(2).getManifest()).hasSize(4096);
  }

  @Test
  void aLedgerThatUnpacksBeyondTheLimitIsRefused() {
    // 1 MiB of zeros packs into about a kilobyte.
    byte[] bomb = TeardownLedger.compress("0".repeat(1024 * 1024));
    assertThat(bomb.length).isLessThan(8 * 1024);

    assertThatThrownBy(() -> TeardownLedger.unpack(bomb, 512 * 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpacks to more than 524288 bytes");
    assertThat(TeardownLedger.unpack(bomb, 1024 * 1024)).hasSize(1024 * 1024);
  }

  @Test
  void dataThatIsNotGzipIsRefusedWithAMessage() {
    assertThatThrownBy(() -> TeardownLedger.decode("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not gzip'ed");
  }

  @Test
  void theSummaryOfTwoThousandStepsAndLargeHooksStaysUnderTheBound() {
    TeardownStatus full = teardown(TeardownPhase.Workloads, 2000, 6, 100 * 1024);

    TeardownStatus summary = TeardownLedger.summary(full, "big.orderly-teardown");

    assertThat(bytes(summary)).isLessThanOrEqualTo(TeardownLedger.MAX_SUMMARY_BYTES);
    assertThat(summary.getSteps()).isEmpty();
    assertThat(summary.getLedger()).isEqualTo("big.orderly-teardown");
    assertThat(summary.getStepCounts()).containsEntry("Pending", 2006);
    long inPhase =
        full.getSteps().stream().filter(s -> s.getPhase() == TeardownPhase.Workloads).count();
    assertThat(summary.getUnfinished()).hasSize(TeardownLedger.MAX_SHOWN);
    assertThat(summary.getUnfinishedNotShown()).isEqualTo((int) inPhase - TeardownLedger.MAX_SHOWN);
    assertThat(summary.getUnfinished())
        .allSatisfy(
            step -> {
              assertThat(step.getPhase()).isEqualTo(TeardownPhase.Workloads);
              assertThat(step.getManifest()).isNull();
            });
  }

  @Test
  void longNamesAndMessagesAreCutToFitNotTheBoundRaised() {
    TeardownStatus full = teardown(TeardownPhase.ConfigAndNetwork, 200, 0, 0);
    for (TeardownStep step : full.getSteps()) {
      step.setName("n".repeat(253));
      step.setNamespace("s".repeat(63) + step.getName().hashCode() % 100);
      step.setMessage("m".repeat(10_000));
      step.setState(State.InProgress);
    }

    TeardownStatus summary = TeardownLedger.summary(full, "x".repeat(253));

    assertThat(bytes(summary)).isLessThanOrEqualTo(TeardownLedger.MAX_SUMMARY_BYTES);
    assertThat(summary.getUnfinished()).isNotEmpty();
    assertThat(summary.getUnfinished())
        .allSatisfy(
            step ->
                assertThat(step.getMessage())
                    .hasSizeLessThanOrEqualTo(TeardownLedger.MAX_MESSAGE)
                    .endsWith("more characters)"));
    assertThat(summary.getUnfinished().size() + summary.getUnfinishedNotShown())
        .isEqualTo(
            (int)
                full.getSteps().stream()
                    .filter(s -> s.getPhase() == TeardownPhase.ConfigAndNetwork)
                    .count());
  }

  @Test
  void theSummaryShowsOnlyTheCurrentPhasesUnfinishedSteps() {
    TeardownStatus full = teardown(TeardownPhase.Workloads, 30, 0, 0);
    full.getSteps().stream()
        .filter(s -> s.getPhase() == TeardownPhase.Workloads)
        .limit(2)
        .forEach(s -> s.setState(State.Done));

    TeardownStatus summary = TeardownLedger.summary(full, "l");

    long unfinished =
        full.getSteps().stream()
            .filter(s -> s.getPhase() == TeardownPhase.Workloads && !s.isFinished())
            .count();
    assertThat(summary.getUnfinished()).hasSize((int) unfinished);
    assertThat(summary.getUnfinishedNotShown()).isNull();
    assertThat(summary.getStepCounts()).containsEntry("Done", 2).containsEntry("Pending", 28);
    assertThat(summary.getNamespaces()).containsExactly("apps-0", "apps-1", "apps-2");
  }

  @Test
  void keptInStatusTheStepsAreAllThereWithTheNote() {
    TeardownStatus full = teardown(TeardownPhase.PreDeleteHooks, 5, 2, 100);

    TeardownStatus kept = TeardownLedger.inStatus(full, "why");

    assertThat(kept.getSteps()).hasSize(7);
    assertThat(kept.getStepsNote()).isEqualTo("why");
    assertThat(kept.getLedger()).isNull();
  }

  @Test
  void theLedgerIsNamedFromTheReleaseWithinTheSecretNameLimit() {
    assertThat(TeardownLedger.secretName("agent")).isEqualTo("agent.orderly-teardown");
    String longest = "a".repeat(120) + "." + "b".repeat(132);
    String name = TeardownLedger.secretName(longest);
    assertThat(name).hasSizeLessThanOrEqualTo(253).endsWith(".orderly-teardown");
    assertThat(name).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    assertThat(TeardownLedger.secretName(longest.substring(0, 252) + "c")).isNotEqualTo(name);
    // The cut falls on a '.': it is dropped rather than left before the hash.
    String dotAtCut = "a".repeat(224) + "." + "b".repeat(28);
    assertThat(TeardownLedger.secretName(dotAtCut)).doesNotContain(".-").hasSizeLessThan(254);
  }

  @Test
  void afterALossEarlierPhasesAndThisPhasesHooksAreNotDoneAgain() {
    TeardownStatus planned = teardown(TeardownPhase.PreDeleteHooks, 20, 2, 10);
    TeardownStep postHook = hook(TeardownPhase.PostDeleteHooks, "post", 10);
    planned.getSteps().add(postHook);

    List<TeardownStep> steps =
        TeardownLedger.afterLoss(TeardownPhase.Workloads, planned.getSteps(), "lost");

    assertThat(steps)
        .filteredOn(s -> s.getPhase().compareTo(TeardownPhase.Workloads) < 0)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getState()).isEqualTo(State.Skipped));
    assertThat(steps)
        .filteredOn(s -> s.getPhase().compareTo(TeardownPhase.Workloads) >= 0)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getState()).isEqualTo(State.Pending));
    assertThat(planned.getSteps())
        .allSatisfy(s -> assertThat(s.getState()).isEqualTo(State.Pending));

    List<TeardownStep> inHooks =
        TeardownLedger.afterLoss(TeardownPhase.PreDeleteHooks, planned.getSteps(), "lost");
    assertThat(inHooks)
        .filteredOn(s -> s.getPhase() == TeardownPhase.PreDeleteHooks)
        .allSatisfy(s -> assertThat(s.getMessage()).isEqualTo("lost"));
    assertThat(inHooks.get(inHooks.size() - 1).getState()).isEqualTo(State.Pending);
  }

  @Test
  void cutTextSaysHowMuchWasCut() {
    assertThat(TeardownLedger.shorten("short", 10)).isEqualTo("short");
    assertThat(TeardownLedger.shorten(null, 10)).isNull();
    String cut = TeardownLedger.shorten("x".repeat(2000), 100);
    assertThat(cut).hasSizeLessThanOrEqualTo(100).endsWith("(1931 more characters)");
  }

  /**
   * A teardown in {@code phase} with {@code objects} objects spread over the object phases and
   * three namespaces, and {@code hooks} pre-delete hooks with manifests of {@code manifestBytes}
   * random (so incompressible) characters.
   */
  static TeardownStatus teardown(TeardownPhase phase, int objects, int hooks, int manifestBytes) {
    List<TeardownPhase> objectPhases =
        List.of(
            TeardownPhase.CustomResources,
            TeardownPhase.Admission,
            TeardownPhase.DaemonSets,
            TeardownPhase.Workloads,
            TeardownPhase.ConfigAndNetwork,
            TeardownPhase.Rbac);
    List<TeardownStep> steps = new ArrayList<>();
    for (int i = 0; i < hooks; i++) {
      steps.add(hook(TeardownPhase.PreDeleteHooks, "hook-" + i, manifestBytes));
    }
    for (int i = 0; i < objects; i++) {
      TeardownStep step = new TeardownStep();
      step.setPhase(objectPhases.get(i % objectPhases.size()));
      step.setApiVersion("v1");
      step.setKind("ConfigMap");
      step.setNamespace("apps-" + (i % 3));
      step.setName("object-" + i);
      steps.add(step);
    }
    TeardownStatus teardown = new TeardownStatus();
    teardown.setPhase(phase);
    teardown.setStartedAt("2026-01-01T00:00:00Z");
    teardown.setPhaseStartedAt("2026-01-01T00:01:00Z");
    teardown.setRevision(3);
    teardown.setSteps(steps);
    return teardown;
  }

  private static TeardownStep hook(TeardownPhase phase, String name, int manifestBytes) {
    Random random = new Random(name.hashCode());
    StringBuilder manifest = new StringBuilder();
    while (manifest.length() < manifestBytes) {
      manifest.append((char) ('a' + random.nextInt(26)));
    }
    TeardownStep step = new TeardownStep();
    step.setPhase(phase);
    step.setApiVersion("batch/v1");
    step.setKind("Job");
    step.setNamespace("apps-0");
    step.setName(name);
    step.setWeight(0L);
    step.setDeletePolicies(List.of("before-hook-creation"));
    step.setManifest(manifest.toString());
    return step;
  }

  private static int bytes(TeardownStatus status) {
    return Serialization.asJson(status).getBytes(StandardCharsets.UTF_8).length;
  }
}
