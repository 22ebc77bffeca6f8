package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.kube.RecentWrites.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The operator's own creates and deletes, answered until a lagging cache shows them. */
class RecentWritesTest {
  private static final ObjectRef HOOK = new ObjectRef("batch/v1", "Job", "agents", "hook");

  private final RecentWrites recent = new RecentWrites(new KubernetesSerialization());

  @Test
  void aJustCreatedObjectIsAnsweredUntilTheCacheHasItsUidOrHasCaughtUp() {
    GenericKubernetesResource made = job("uid-1", "100");
    recent.created(HOOK, made);

    assertThat(recent.answer(HOOK, null, mine -> false)).contains(made);
    assertThat(recent.answer(HOOK, null, mine -> true))
        .as("the cache has caught up with the create and holds nothing: it is gone")
        .isEmpty();
    assertThat(recent.answer(HOOK, null, mine -> false)).as("forgotten").isEmpty();

    recent.created(HOOK, made);
    GenericKubernetesResource cached = job("uid-1", "101");
    recent.seen(HOOK, cached, false);
    assertThat(recent.answer(HOOK, null, mine -> false)).as("the informer saw it").isEmpty();
  }

  @Test
  void anAcceptedDeleteIsAnsweredAsTerminatingUntilTheCacheShowsItGoingOrGone() {
    GenericKubernetesResource cached = job("uid-1", "100");
    recent.deleted(HOOK, "uid-1");

    GenericKubernetesResource answered = recent.answer(HOOK, cached, mine -> false).orElseThrow();
    assertThat(answered.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(cached.getMetadata().getDeletionTimestamp()).as("the cache is not changed").isNull();

    recent.seen(HOOK, cached, true);
    assertThat(recent.answer(HOOK, cached, mine -> false)).contains(cached);
  }

  @Test
  void aCachedObjectWithAnotherUidIsNotTheOneDeleted() {
    recent.deleted(HOOK, "uid-1");
    GenericKubernetesResource recreated = job("uid-2", "120");

    assertThat(recent.answer(HOOK, recreated, mine -> false)).contains(recreated);
  }

  private static GenericKubernetesResource job(String uid, String resourceVersion) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withNewMetadata()
        .withNamespace("agents")
        .withName("hook")
        .withUid(uid)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }
}
