package dev.orderly.kube;

import dev.orderly.chart.KubeCapabilities;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the connected cluster serves, from its discovery endpoints: its version and API versions
 * (what Helm puts in {@code .Capabilities} when it installs), and which kinds are cluster-scoped.
 *
 * <p>Capabilities and all scopes are read together once per {@code maxAge} (3 requests plus one per
 * group version), so validating many releases costs no more; a CRD installed meanwhile shows up
 * when the cache ages out. Scopes of given group versions are read fresh, as a teardown starts.
 */
public class ClusterDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);

  /** How long capabilities are reused when nothing says otherwise. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration maxAge;
  private Cached cached;

  private record Cached(KubeCapabilities capabilities, Set<String> clusterScoped, Instant readAt) {}

  public ClusterDiscovery(KubernetesClient client, Clock clock, Duration maxAge) {
    this.client = client;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * The cluster's version and every API version it serves, as Helm's {@code GetVersionSet} lists
   * them: each {@code group/version}, and {@code group/version/Kind} for each resource in it.
   *
   * @throws KubernetesClientException when the cluster cannot be reached
   */
  public KubeCapabilities capabilities() {
    return current().capabilities();
  }

  /**
   * The {@code group/Kind} keys of every cluster-scoped kind the cluster serves, read and cached
   * with {@link #capabilities()}.
   */
  public Set<String> clusterScopedKinds() {
    return current().clusterScoped();
  }

  private synchronized Cached current() {
    Instant now = clock.instant();
    if (cached == null || !now.isBefore(cached.readAt().plus(maxAge))) {
      cached = read(now);
    }
    return cached;
  }

  /**
   * The {@code group/Kind} keys of the cluster-scoped kinds among those served under {@code
   * apiVersions}. A group version the cluster does not serve (its CRD is gone) contributes nothing:
   * no object of it can be left to delete either.
   */
  public Set<String> clusterScopedKinds(Collection<String> apiVersions) {
    Set<String> clusterScoped = new HashSet<>();
    for (String apiVersion : new LinkedHashSet<>(apiVersions)) {
      addClusterScoped(apiVersion, resourcesOf(apiVersion), clusterScoped);
    }
    return clusterScoped;
  }

  private static void addClusterScoped(
      String groupVersion, APIResourceList resources, Set<String> clusterScoped) {
    if (resources == null) {
      return;
    }
    String group = groupVersion.contains("/") ? groupVersion.split("/", 2)[0] : "";
    for (APIResource resource : resources.getResources()) {
      // Subresources (pods/status) share their resource's scope and are no kind of their own.
      if (Boolean.FALSE.equals(resource.getNamespaced()) && !resource.getName().contains("/")) {
        clusterScoped.add(group + "/" + resource.getKind());
      }
    }
  }

  private Cached read(Instant now) {
    VersionInfo version = client.getKubernetesVersion();
    Set<String> served = new LinkedHashSet<>();
    Set<String> clusterScoped = new HashSet<>();
    List<String> groupVersions = new ArrayList<>();
    APIVersions core = client.getAPIVersions();
    if (core != null) {
      groupVersions.addAll(core.getVersions());
    }
    for (APIGroup group : client.getApiGroups().getGroups()) {
      group.getVersions().stream()
          .map(GroupVersionForDiscovery::getGroupVersion)
          .forEach(groupVersions::add);
    }
    for (String groupVersion : groupVersions) {
      served.add(groupVersion);
      APIResourceList resources = resourcesOf(groupVersion);
      if (resources != null) {
        resources.getResources().forEach(r -> served.add(groupVersion + "/" + r.getKind()));
      }
      addClusterScoped(groupVersion, resources, clusterScoped);
    }
    return new Cached(
        KubeCapabilities.ofCluster(version.getGitVersion(), List.copyOf(served)),
        Set.copyOf(clusterScoped),
        now);
  }

  /** The resources of one group version, or null when it is not served or does not answer. */
  private APIResourceList resourcesOf(String groupVersion) {
    try {
      return client.getApiResources(groupVersion);
    } catch (KubernetesClientException e) {
      // As Helm does: an aggregated API that is down must not stop everything else.
      LOG.warn("Discovery of {} failed: {}", groupVersion, e.getMessage());
      return null;
    }
  }
}
