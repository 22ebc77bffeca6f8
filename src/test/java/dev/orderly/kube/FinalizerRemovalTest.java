package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.testsupport.ApiRequest;
import dev.orderly.testsupport.OperatorHarness;
import dev.orderly.testsupport.TestApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The finalizer goes in one request; a changed finalizer list costs one read and one retry. */
class FinalizerRemovalTest {
  private static final String OTHER = "example.com/other";

  private TestApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new TestApiServer().start();
    client = server.client();
    OperatorHarness.createCrd(client);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void oneTestedPatchWithoutReadOrResourceVersion() {
    OrderedRelease stored = create(List.of(OrderedRelease.FINALIZER, OTHER));
    // Written since it was read: a patch pinned to the resourceVersion would now conflict.
    annotate();
    int mark = server.requests().size();

    new FinalizerRemoval(client).remove(stored);

    List<ApiRequest> sent = server.requests().subList(mark, server.requests().size());
    assertThat(sent).extracting(r -> r.method() + " " + r.status()).containsExactly("PATCH 200");
    assertThat(sent.get(0).body())
        .isEqualTo(
            "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/0\",\"value\":\""
                + OrderedRelease.FINALIZER
                + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]");
    assertThat(stored().getMetadata().getFinalizers()).containsExactly(OTHER);
  }

  @Test
  void aListThatChangedIsReadOnceAndPatchedAtTheNewIndex() {
    OrderedRelease seen = create(List.of(OrderedRelease.FINALIZER));
    // Another controller adds its finalizer in front of ours after this look read the object.
    OrderedRelease now = stored();
    now.getMetadata().setFinalizers(List.of(OTHER, OrderedRelease.FINALIZER));
    client.resource(now).update();
    int mark = server.requests().size();

    new FinalizerRemoval(client).remove(seen);

    assertThat(server.requests().subList(mark, server.requests().size()))
        .extracting(r -> r.method() + " " + r.status())
        .containsExactly("PATCH 422", "GET 200", "PATCH 200");
    assertThat(stored().getMetadata().getFinalizers()).containsExactly(OTHER);
  }

  @Test
  void anObjectAlreadyGoneOrWithoutTheFinalizerIsLeftAlone() {
    OrderedRelease seen = create(List.of(OrderedRelease.FINALIZER));
    client.resource(seen).delete();
    // Our finalizer holds it: take it off as someone else would, so the object goes.
    OrderedRelease held = stored();
    held.getMetadata().setFinalizers(List.of());
    client.resource(held).update();
    int mark = server.requests().size();

    new FinalizerRemoval(client).remove(seen);
    OrderedRelease without = Serialization.clone(seen);
    without.getMetadata().setFinalizers(List.of(OTHER));
    new FinalizerRemoval(client).remove(without);

    assertThat(server.requests().subList(mark, server.requests().size()))
        .extracting(r -> r.method() + " " + r.status())
        .containsExactly("PATCH 404");
  }

  private OrderedRelease create(List<String> finalizers) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("apps")
            .withName("web")
            .withFinalizers(finalizers)
            .build());
    release.setSpec(new OrderedReleaseSpec());
    return client.resource(release).create();
  }

  private void annotate() {
    OrderedRelease now = stored();
    now.getMetadata().setAnnotations(java.util.Map.of("touched", "yes"));
    client.resource(now).update();
  }

  private OrderedRelease stored() {
    return client.resources(OrderedRelease.class).inNamespace("apps").withName("web").get();
  }
}
