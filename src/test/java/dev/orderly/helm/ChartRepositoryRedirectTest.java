package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orderly.api.ChartSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP chart repository whose files live on another host, as when a repository redirects to a
 * CDN: the redirect is followed, but the repository's credentials never reach the other host; and a
 * chart fetched with credentials is never served from the cache to a spec without them.
 */
class ChartRepositoryRedirectTest {
  private static final String AUTH = "Basic " + base64("team-a:s3cret");
  private static final byte[] ARCHIVE = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0};

  @TempDir Path cache;
  private HttpServer repository;
  private HttpServer cdn;
  private final List<String> cdnAuthorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    cdn.createContext(
        "/",
        exchange -> {
          cdnAuthorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          answer(exchange, 200, ARCHIVE);
        });
    cdn.start();
    repository = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    repository.createContext(
        "/",
        exchange -> {
          if (!AUTH.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, new byte[0]);
          } else if (exchange.getRequestURI().getPath().equals("/index.yaml")) {
            String index =
                "apiVersion: v1\nentries:\n  web:\n    - version: 1.0.0\n      urls: [web-1.0.0.tgz]\n";
            answer(exchange, 200, index.getBytes(StandardCharsets.UTF_8));
          } else {
            exchange
                .getResponseHeaders()
                .add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/web.tgz");
            answer(exchange, 302, "moved".getBytes(StandardCharsets.UTF_8));
          }
        });
    repository.start();
  }

  @AfterEach
  void stop() {
    repository.stop(0);
    cdn.stop(0);
  }

  @Test
  void aRedirectToAnotherHostIsFollowedWithoutTheCredentials() throws IOException {
    ChartResolver resolver = new ChartResolver(cache);

    Path chart = resolver.resolve(source(), credentials()).path();

    assertThat(java.nio.file.Files.readAllBytes(chart)).isEqualTo(ARCHIVE);
    assertThat(cdnAuthorizations).as("what the other host was sent").containsExactly("null");
  }

  @Test
  void aChartFetchedWithCredentialsIsNotServedFromTheCacheWithout() {
    ChartResolver resolver = new ChartResolver(cache);
    resolver.resolve(source(), credentials());

    assertThatThrownBy(() -> resolver.resolve(source(), Optional.empty()))
        .isInstanceOf(HelmFailure.class)
        .hasMessageContaining("asks for credentials");
    // The same credentials find it in the cache: the CDN is not asked again.
    resolver.resolve(source(), credentials());
    assertThat(cdnAuthorizations).hasSize(1);
  }

  private ChartSource source() {
    return ChartSource.fromRepository(
        "http://127.0.0.1:" + repository.getAddress().getPort(), "web", "1.0.0");
  }

  private static Optional<RegistryCredentials> credentials() {
    return Optional.of(new RegistryCredentials("team-a", "s3cret", "Secret apps/repo"));
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
