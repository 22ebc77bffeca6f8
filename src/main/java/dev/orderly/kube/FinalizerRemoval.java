package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.List;

/**
 * Removes {@link OrderedRelease#FINALIZER} from an OrderedRelease in one request: a JSON patch that
 * tests the finalizer at the index the caller last saw it and removes it there. It carries no
 * resourceVersion, so a status write or an annotation since does not make it conflict (409), and it
 * reads nothing first. Only when the list itself changed (another controller added or removed a
 * finalizer, so the test fails: 422) is the object read and the patch sent again at the new index.
 */
public final class FinalizerRemoval {
  // A finalizer list changing under us again and again is another controller's loop, not a race.
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;

  public FinalizerRemoval(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Removes the finalizer from the object {@code seen} was read as; an object already gone, or
   * without the finalizer, is left as it is.
   */
  public void remove(OrderedRelease seen) {
    String namespace = seen.getMetadata().getNamespace();
    String name = seen.getMetadata().getName();
    List<String> finalizers = seen.getMetadata().getFinalizers();
    for (int attempt = 1; ; attempt++) {
      int at = finalizers == null ? -1 : finalizers.indexOf(OrderedRelease.FINALIZER);
      if (at < 0) {
        return;
      }
      try {
        client
            .resource(addressOf(namespace, name))
            .patch(PatchContext.of(PatchType.JSON), patch(at));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return;
        }
        if (e.getCode() != 422 || attempt == ATTEMPTS) {
          throw e;
        }
      }
      OrderedRelease fresh =
          client.resources(OrderedRelease.class).inNamespace(namespace).withName(name).get();
      if (fresh == null) {
        return;
      }
      finalizers = fresh.getMetadata().getFinalizers();
    }
  }

  /** The patch: test that the finalizer is still at {@code index}, then remove it there. */
  static String patch(int index) {
    String path = "/metadata/finalizers/" + index;
    return "[{\"op\":\"test\",\"path\":\"%s\",\"value\":\"%s\"},{\"op\":\"remove\",\"path\":\"%s\"}]"
        .formatted(path, OrderedRelease.FINALIZER, path);
  }

  // Only the name and namespace address the request; nothing of the object is sent.
  private static OrderedRelease addressOf(String namespace, String name) {
    OrderedRelease address = new OrderedRelease();
    address.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    return address;
  }
}
