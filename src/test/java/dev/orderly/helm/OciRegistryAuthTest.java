package dev.orderly.helm;

import static dev.orderly.helm.OciRegistryPullTest.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orderly.testsupport.OciRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials: Basic against a real registry with htpasswd, and the Bearer token flow against a
 * small fake registry and token service (the distribution registry's token auth needs a signing
 * certificate setup a test should not carry).
 */
class OciRegistryAuthTest {
  private static final Path NODE_AGENT = Path.of("charts/examples/node-agent").toAbsolutePath();

  @TempDir static Path registryDir;
  private static OciRegistry registry;
  private static String digest;

  @TempDir Path cache;

  @BeforeAll
  static void startRegistry() {
    registry = OciRegistry.startWithBasicAuth(registryDir);
    digest = registry.pushChart(NODE_AGENT, "node-agent", "0.1.0");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void basicAuthWithTheRightCredentialsPulls() {
    OciRegistryClient.PulledChart pulled =
        client()
            .pull(
                chart(),
                "^0.1",
                null,
                Optional.of(
                    new RegistryCredentials(
                        OciRegistry.USERNAME, OciRegistry.PASSWORD, "Secret agents/registry")));
    assertThat(pulled.digest()).isEqualTo(digest);
  }

  @Test
  void withoutCredentialsTheMessageSaysWhereToGiveThem() {
    expectFailure(
        () -> client().pull(chart(), "0.1.0", null, Optional.empty()),
        "RepositoryUnauthorized",
        "registry "
            + registry.host()
            + " refused to let charts/node-agent be pulled without credentials (HTTP 401):"
            + " give credentials in a Secret named by chart.secretRef");
  }

  @Test
  void wrongCredentialsNameTheirSecretButNotThePassword() {
    expectFailure(
        () ->
            client()
                .pull(
                    chart(),
                    "0.1.0",
                    null,
                    Optional.of(new RegistryCredentials("orderly", "wrong", "Secret a/registry"))),
        "RepositoryUnauthorized",
        "registry "
            + registry.host()
            + " refused the credentials of Secret a/registry for charts/node-agent (HTTP 401)");
  }

  @Test
  void theBearerTokenFlowGetsATokenWithTheCredentialsAndSendsIt() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    String basic = new RegistryCredentials("robot", "s3cret", "test").basicAuthorization();
    server.createContext(
        "/token",
        exchange -> {
          seen.add("token " + exchange.getRequestURI().getQuery());
          boolean ok = basic.equals(exchange.getRequestHeaders().getFirst("Authorization"));
          reply(exchange, ok ? 200 : 401, ok ? "{\"token\":\"t0ken\"}" : "{}");
        });
    server.createContext(
        "/v2/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(exchange.getRequestURI().getPath() + " " + auth);
          if (!"Bearer t0ken".equals(auth)) {
            exchange
                .getResponseHeaders()
                .add(
                    "WWW-Authenticate",
                    "Bearer realm=\""
                        + base
                        + "/token\",service=\"fake\","
                        + "scope=\"repository:charts/agent:pull\"");
            reply(exchange, 401, "{}");
            return;
          }
          reply(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
        });
    server.start();
    try {
      OciReference reference =
          OciReference.of(
              "oci://127.0.0.1:" + server.getAddress().getPort() + "/charts", "agent", true);
      expectFailure(
          () ->
              client()
                  .pull(
                      reference,
                      "1.0.0",
                      null,
                      Optional.of(new RegistryCredentials("robot", "s3cret", "test"))),
          "ChartVersionNotFound",
          "has no tag 1.0.0");
      assertThat(seen)
          .containsExactly(
              "/v2/charts/agent/manifests/1.0.0 null",
              "token scope=repository:charts/agent:pull&service=fake",
              "/v2/charts/agent/manifests/1.0.0 Bearer t0ken");

      expectFailure(
          () ->
              client()
                  .pull(
                      reference,
                      "1.0.0",
                      null,
                      Optional.of(new RegistryCredentials("robot", "wrong", "test"))),
          "RepositoryUnauthorized",
          "refused the credentials of test");
    } finally {
      server.stop(0);
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private OciRegistryClient client() {
    return new OciRegistryClient(cache, OciRegistryClient.Hints.OPERATOR);
  }

  private static OciReference chart() {
    return OciReference.of(registry.chartsUrl(), "node-agent", true);
  }
}
