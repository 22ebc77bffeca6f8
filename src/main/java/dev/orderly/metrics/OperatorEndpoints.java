package dev.orderly.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP port: {@code /metrics} (Prometheus text), {@code /healthz} (liveness: the
 * informers have not stopped) and {@code /readyz} (readiness: the operator started and every
 * informer it runs is synced and watching; a standby replica is ready too).
 */
public final class OperatorEndpoints implements AutoCloseable {
  private final HttpServer server;

  private OperatorEndpoints(HttpServer server) {
    this.server = server;
  }

  /** Starts serving on {@code port} (0 picks a free one). */
  public static OperatorEndpoints start(
      int port, MetricsRegistry registry, BooleanSupplier live, BooleanSupplier ready)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange -> respond(exchange, 200, "text/plain; version=0.0.4", registry.scrape()));
    server.createContext("/healthz", exchange -> probe(exchange, live));
    server.createContext("/readyz", exchange -> probe(exchange, ready));
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "orderly-http");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return new OperatorEndpoints(server);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, BooleanSupplier check) throws IOException {
    boolean ok = check.getAsBoolean();
    respond(exchange, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not ok\n");
  }

  private static void respond(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
