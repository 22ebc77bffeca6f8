package dev.orderly.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An in-memory Kubernetes API server on loopback that both the fabric8 client and helm-java
 * (client-go) can use; {@link HelmCompatibleDispatcher} lists where it differs from Kubernetes.
 *
 * <pre>{@code
 * try (TestApiServer server = new TestApiServer().start()) {
 *   new Helm(chart).install().withName("sample").withNamespace("samples").createNamespace()
 *       .withKubeConfigContents(server.kubeconfig()).call();
 *   server.client().configMaps().inNamespace("samples").withName("sample-config").get();
 * }
 * }</pre>
 */
public final class TestApiServer implements AutoCloseable {

  private static final String CONTEXT = "orderly-test";
  private static final String TAG = "orderly-test-client=";

  private final HelmCompatibleDispatcher dispatcher = new HelmCompatibleDispatcher();
  private final KubernetesMockServer server;
  private int port;
  private boolean closed;
  private KubernetesClient client;
  private final List<KubernetesClient> taggedClients = new ArrayList<>();

  /** A server that is not listening yet; call {@link #start()}. */
  public TestApiServer() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
  }

  /** Starts listening on a free loopback port; returns this server. */
  public synchronized TestApiServer start() {
    if (port != 0 || closed) {
      throw new IllegalStateException("a TestApiServer starts once");
    }
    server.start(InetAddress.getLoopbackAddress(), 0);
    port = server.getPort();
    return this;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:40123}. */
  public synchronized String url() {
    if (port == 0) {
      // The mock server would quietly start itself on a fixed port if asked for one now.
      throw new IllegalStateException("start() the TestApiServer first");
    }
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
  }

  /**
   * A fabric8 client (JDK HTTP client) for this server, closed with the server. It does not retry
   * failed requests, so a test sees a server error at once instead of after a backoff.
   */
  public synchronized KubernetesClient client() {
    if (client == null) {
      Config config =
          new ConfigBuilder(Config.empty())
              .withMasterUrl(url())
              .withNamespace("default")
              .withHttp2Disable(true)
              .withRequestRetryBackoffLimit(0)
              .build();
      client =
          new KubernetesClientBuilder()
              .withConfig(config)
              .withHttpClientFactory(new JdkHttpClientFactory())
              .build();
    }
    return client;
  }

  /**
   * A fabric8 client for this server whose every request carries {@code orderly-test-client=<who>}
   * in its Accept header, so the journal tells a test's or a simulator's requests from the
   * operator's ({@link #fromTaggedClient}). Closed with the server.
   */
  public synchronized KubernetesClient taggedClient(String who) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .withCustomHeaders(Map.of("Accept", "application/json;" + TAG + who))
            .build();
    KubernetesClient tagged =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientFactory(new JdkHttpClientFactory())
            .build();
    taggedClients.add(tagged);
    return tagged;
  }

  /** Whether {@code request} came from a {@link #taggedClient}. */
  public static boolean fromTaggedClient(ApiRequest request) {
    return request.accept().contains(TAG);
  }

  /** Every request the server received so far, in arrival order (discovery included). */
  public List<ApiRequest> requests() {
    return dispatcher.journal();
  }

  /** The errors a test injects: matching requests are answered with them instead of served. */
  public ApiFaults faults() {
    return dispatcher.faults();
  }

  /** A kubeconfig whose current context points at this server, for helm-java. */
  public String kubeconfig() {
    return """
    apiVersion: v1
    kind: Config
    clusters:
    - name: %1$s
      cluster:
        server: %2$s
    contexts:
    - name: %1$s
      context:
        cluster: %1$s
        user: %1$s
        namespace: default
    current-context: %1$s
    users:
    - name: %1$s
      user: {}
    """
        .formatted(CONTEXT, url());
  }

  /** Stops the server and removes the discovery cache client-go wrote for it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (client != null) {
      client.close();
    }
    taggedClients.forEach(KubernetesClient::close);
    if (port != 0) {
      server.shutdown();
      deleteDiscoveryCache(port);
    }
  }

  /**
   * client-go caches discovery per server under {@code ~/.kube/cache/discovery/127.0.0.1_<port>}
   * (or below {@code $KUBECACHEDIR}); once the server is gone that folder is litter.
   */
  private static void deleteDiscoveryCache(int port) {
    String kubeCacheDir = System.getenv("KUBECACHEDIR");
    String home = System.getenv("HOME");
    if (kubeCacheDir == null && home == null) {
      return;
    }
    Path cache = kubeCacheDir != null ? Path.of(kubeCacheDir) : Path.of(home, ".kube", "cache");
    Path discovery = cache.resolve("discovery").resolve("127.0.0.1_" + port);
    if (Files.isDirectory(discovery)) {
      deleteTree(discovery);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
