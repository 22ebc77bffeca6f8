package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Answers from a repository or registry are read up to a limit, never without end. */
class BoundedBodyTest {
  private static final int SIZE = 2 * 1024 * 1024;
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
          try (var out = exchange.getResponseBody()) {
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < SIZE; sent += chunk.length) {
              out.write(chunk);
            }
          } catch (IOException e) {
            // The client hung up on purpose.
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aBodyWithinTheLimitIsRead() throws Exception {
    byte[] body = send(SIZE);
    assertThat(body).hasSize(SIZE);
  }

  @Test
  void aBodyPastTheLimitFailsTheExchange() {
    assertThatThrownBy(() -> send(SIZE / 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than " + SIZE / 2 + " bytes");
  }

  @Test
  void copyStopsPastTheLimit() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(BoundedBody.copy(new ByteArrayInputStream(new byte[1000]), out, 1000))
        .isEqualTo(1000);
    assertThatThrownBy(() -> BoundedBody.copy(new ByteArrayInputStream(new byte[1001]), out, 1000))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than 1000 bytes");
  }

  private byte[] send(long limit) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    return client.send(HttpRequest.newBuilder(uri).build(), BoundedBody.atMost(limit)).body();
  }
}
