package dev.orderly.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderly.api.ChartSource;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.OrderedReleaseSpec;
import dev.orderly.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReleaseClientsTest {
  private final MutableClock clock = MutableClock.startingNow();
  // Never contacted: the clients are only made and closed.
  private final KubernetesClient operator =
      new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
          .build();
  private final ReleaseClients clients =
      new ReleaseClients(operator, new ClusterObjects(operator), null, id -> null, null, clock);

  @AfterEach
  void close() {
    clients.close();
    operator.close();
  }

  @Test
  void oneClientPerServiceAccountIsKeptWhileItIsUsed() {
    KubernetesClient first = clients.impersonated(release("team-a", "deployer")).orElseThrow();
    clock.advance(ReleaseClients.IDLE_LIMIT.minusMinutes(1));
    KubernetesClient again = clients.impersonated(release("team-a", "deployer")).orElseThrow();
    clock.advance(ReleaseClients.IDLE_LIMIT.minusMinutes(1));
    clients.impersonated(release("team-b", "deployer")).orElseThrow();

    assertThat(again).isSameAs(first);
    assertThat(clients.openClients()).as("team-a's was used within the limit").isEqualTo(2);
    assertThat(first.getConfiguration().getImpersonateUsername())
        .isEqualTo("system:serviceaccount:team-a:deployer");
  }

  @Test
  void aClientUnusedForTheIdleLimitIsClosedWhenTheNextIsHandedOut() {
    KubernetesClient idle = clients.impersonated(release("team-a", "deployer")).orElseThrow();
    clock.advance(ReleaseClients.IDLE_LIMIT.plus(Duration.ofSeconds(1)));

    clients.impersonated(release("team-b", "deployer")).orElseThrow();

    assertThat(clients.openClients()).as("only team-b's is left").isEqualTo(1);
    KubernetesClient fresh = clients.impersonated(release("team-a", "deployer")).orElseThrow();
    assertThat(fresh).as("team-a gets a new client").isNotSameAs(idle);
    assertThat(clients.openClients()).isEqualTo(2);
  }

  @Test
  void aReleaseWithoutServiceAccountUsesTheOperatorAndOpensNothing() {
    OrderedRelease plain = release("team-a", null);

    assertThat(clients.impersonated(plain)).isEmpty();
    assertThat(clients.openClients()).isZero();
  }

  private static OrderedRelease release(String namespace, String serviceAccount) {
    OrderedRelease release = new OrderedRelease();
    release.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("app").build());
    OrderedReleaseSpec spec = new OrderedReleaseSpec();
    spec.setChart(ChartSource.fromPath("/charts/app"));
    spec.setServiceAccountName(serviceAccount);
    release.setSpec(spec);
    return release;
  }
}
