package dev.orderly.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The values store keeps referenced objects in full and every other one as a stub, and gives the
 * informer back what it held on each put and remove, so events and index entries stay right.
 */
class ReferencedOnlyStoreTest {
  private final Set<String> referenced = new HashSet<>();
  private final ReferencedOnlyStore<Secret> store =
      new ReferencedOnlyStore<>((ns, name) -> referenced.contains(ns + "/" + name), Secret::new);

  @Test
  void anUnreferencedObjectIsAStubThatIsNeverHandedOut() {
    Secret unrelated = secret("apps", "token", "1");

    assertThat(store.put(store.getKey(unrelated), unrelated)).isNull();

    assertThat(store.get("apps/token")).as("a lookup misses").isNull();
    assertThat(store.keptCount()).isZero();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly("apps/token");
    Secret stub = store.values().findFirst().orElseThrow();
    assertThat(stub.getData()).as("no payload is kept").isNullOrEmpty();
    assertThat(stub.getMetadata().getNamespace()).isEqualTo("apps");
    assertThat(stub.getMetadata().getName()).isEqualTo("token");
    assertThat(stub.getMetadata().getResourceVersion()).isEqualTo("1");
  }

  @Test
  void aChangeOrDeletionOfAnUnreferencedObjectGivesBackItsStub() {
    Secret first = secret("apps", "token", "1");
    store.put("apps/token", first);

    // The informer tells an update from an add, and removes index entries, by what it gets back.
    Secret previous = store.put("apps/token", secret("apps", "token", "2"));
    assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("1");
    Secret removed = store.remove("apps/token");
    assertThat(removed.getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(removed.getMetadata().getNamespace()).isEqualTo("apps");

    assertThat(store.size()).isZero();
    assertThat(store.remove("apps/token")).as("an unknown key").isNull();
  }

  @Test
  void aReferencedObjectIsKeptInFull() {
    referenced.add("apps/values");
    Secret values = secret("apps", "values", "5");

    assertThat(store.put("apps/values", values)).isNull();

    assertThat(store.get("apps/values")).isSameAs(values);
    assertThat(store.keptCount()).isEqualTo(1);
    Secret newer = secret("apps", "values", "6");
    assertThat(store.put("apps/values", newer)).isSameAs(values);
    assertThat(store.get("apps/values")).isSameAs(newer);
  }

  @Test
  void anObjectReferencedLaterIsKeptFromItsNextChangeWhichIsAnUpdate() {
    store.put("apps/values", secret("apps", "values", "1"));
    referenced.add("apps/values");

    Secret changed = secret("apps", "values", "2");
    Secret previous = store.put("apps/values", changed);

    assertThat(previous).as("the stub: the informer reports an update, which wakes").isNotNull();
    assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("1");
    assertThat(store.get("apps/values")).isSameAs(changed);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void anObjectNoLongerReferencedIsDroppedToAStubAtItsNextChange() {
    referenced.add("apps/values");
    Secret kept = secret("apps", "values", "1");
    store.put("apps/values", kept);
    referenced.clear();

    assertThat(store.put("apps/values", secret("apps", "values", "2"))).isSameAs(kept);

    assertThat(store.get("apps/values")).isNull();
    assertThat(store.keptCount()).isZero();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aReadIsAdoptedOnlyWhenTheInformerHasSeenThatVeryVersion() {
    store.put("apps/values", secret("apps", "values", "7"));
    referenced.add("apps/values");

    assertThat(store.adopt(secret("apps", "values", "6"))).as("older than the informer").isFalse();
    assertThat(store.adopt(secret("apps", "values", "8"))).as("newer: its event decides").isFalse();
    assertThat(store.get("apps/values")).isNull();

    Secret read = secret("apps", "values", "7");
    assertThat(store.adopt(read)).isTrue();
    assertThat(store.get("apps/values")).isSameAs(read);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aReadOfAnObjectTheInformerSawDeletedOrNeverSawIsNotAdopted() {
    store.put("apps/gone", secret("apps", "gone", "3"));
    store.remove("apps/gone");

    assertThat(store.adopt(secret("apps", "gone", "3"))).isFalse();
    assertThat(store.adopt(secret("apps", "unseen", "1"))).isFalse();
    assertThat(store.size()).isZero();
  }

  private static Secret secret(String namespace, String name, String resourceVersion) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .withData(Map.of("values.yaml", "c2VjcmV0"))
        .build();
  }
}
