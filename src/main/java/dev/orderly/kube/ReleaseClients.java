package dev.orderly.kube;

import dev.orderly.api.OrderedRelease;
import dev.orderly.helm.HelmClient;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The clients that the calls made for one release go through: as its ServiceAccount ({@link
 * ServiceAccountIdentity#of}) when it has one, else as the operator. One Kubernetes client per
 * ServiceAccount, made on first use; one unused for {@link #IDLE_LIMIT} is closed when the next is
 * handed out (each holds an HTTP client with its own threads and connections, so a cluster with
 * many tenants would otherwise keep one per tenant forever), and all are closed by {@link
 * #close()}.
 */
public class ReleaseClients implements AutoCloseable {
  private final KubernetesClient operator;
  private final HelmClient operatorHelm;
  private final Function<ServiceAccountIdentity, HelmClient> helmAs;
  private final String defaultServiceAccount;
  private final ClusterObjects operatorObjects;

  /**
   * How long a ServiceAccount's client may go unused before it is closed: far longer than any one
   * look or Helm operation holds it.
   */
  public static final Duration IDLE_LIMIT = Duration.ofMinutes(15);

  private record Impersonating(KubernetesClient client, AtomicReference<Instant> lastUsed) {}

  private final Map<ServiceAccountIdentity, Impersonating> clients = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Map<ServiceAccountIdentity, HelmClient> helms = new ConcurrentHashMap<>();

  /**
   * @param helmAs a Helm client acting as the given ServiceAccount
   * @param defaultServiceAccount the ServiceAccount a release naming none acts as; null: the
   *     operator
   */
  public ReleaseClients(
      KubernetesClient operator,
      HelmClient operatorHelm,
      Function<ServiceAccountIdentity, HelmClient> helmAs,
      String defaultServiceAccount) {
    this(operator, new ClusterObjects(operator), operatorHelm, helmAs, defaultServiceAccount);
  }

  /** As above, the operator's own calls through {@code operatorObjects}. */
  public ReleaseClients(
      KubernetesClient operator,
      ClusterObjects operatorObjects,
      HelmClient operatorHelm,
      Function<ServiceAccountIdentity, HelmClient> helmAs,
      String defaultServiceAccount) {
    this(operator, operatorObjects, operatorHelm, helmAs, defaultServiceAccount, Clock.systemUTC());
  }

  /** As above, idle clients measured by {@code clock}. */
  public ReleaseClients(
      KubernetesClient operator,
      ClusterObjects operatorObjects,
      HelmClient operatorHelm,
      Function<ServiceAccountIdentity, HelmClient> helmAs,
      String defaultServiceAccount,
      Clock clock) {
    this.clock = clock;
    this.operator = operator;
    this.operatorHelm = operatorHelm;
    this.helmAs = helmAs;
    this.defaultServiceAccount = defaultServiceAccount;
    this.operatorObjects = operatorObjects;
  }

  /**
   * Every release acts as the operator, through {@code objects} and {@code helm};
   * spec.serviceAccountName is ignored. For callers that have no ServiceAccounts to act as.
   */
  public static ReleaseClients operatorOnly(ClusterObjects objects, HelmClient helm) {
    return new ReleaseClients(null, objects, helm, null, null) {
      @Override
      public Optional<ServiceAccountIdentity> identity(OrderedRelease resource) {
        return Optional.empty();
      }
    };
  }

  /** Who the calls for {@code resource} are made as; empty: the operator. */
  public Optional<ServiceAccountIdentity> identity(OrderedRelease resource) {
    return ServiceAccountIdentity.of(resource, defaultServiceAccount);
  }

  /** The teardown's calls for {@code resource}. */
  public ClusterObjects objects(OrderedRelease resource) {
    return identity(resource)
        .map(identity -> new ClusterObjects(clientAs(identity)))
        .orElse(operatorObjects);
  }

  /**
   * A Kubernetes client acting as {@code resource}'s ServiceAccount; empty when its calls are the
   * operator's.
   */
  public Optional<KubernetesClient> impersonated(OrderedRelease resource) {
    return identity(resource).map(this::clientAs);
  }

  /** Helm for {@code resource}. */
  public HelmClient helm(OrderedRelease resource) {
    return identity(resource)
        .map(identity -> helms.computeIfAbsent(identity, helmAs))
        .orElse(operatorHelm);
  }

  private KubernetesClient clientAs(ServiceAccountIdentity identity) {
    Instant now = clock.instant();
    closeIdle(now);
    // Marked used inside the map's atomic update, so closeIdle never takes one being handed out.
    return clients
        .compute(
            identity,
            (id, entry) -> {
              Impersonating used =
                  entry != null
                      ? entry
                      : new Impersonating(impersonating(id), new AtomicReference<>(now));
              used.lastUsed().set(now);
              return used;
            })
        .client();
  }

  private KubernetesClient impersonating(ServiceAccountIdentity id) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(operator.getConfiguration())
                .withImpersonateUsername(id.username())
                // None named: the API server adds the ServiceAccount's own.
                .withImpersonateGroups()
                .build())
        .build();
  }

  private void closeIdle(Instant now) {
    Instant cutoff = now.minus(IDLE_LIMIT);
    for (ServiceAccountIdentity identity : List.copyOf(clients.keySet())) {
      AtomicReference<Impersonating> idle = new AtomicReference<>();
      clients.computeIfPresent(
          identity,
          (id, entry) -> {
            if (entry.lastUsed().get().isBefore(cutoff)) {
              idle.set(entry);
              return null;
            }
            return entry;
          });
      if (idle.get() != null) {
        idle.get().client().close();
      }
    }
  }

  /** How many ServiceAccounts' clients are open. */
  public int openClients() {
    return clients.size();
  }

  /** Closes the ServiceAccounts' clients; the operator's own stays open. */
  @Override
  public void close() {
    clients.values().forEach(entry -> entry.client().close());
    clients.clear();
  }
}
