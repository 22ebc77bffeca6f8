package dev.orderly.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An admission webhook backend on 127.0.0.1 over HTTPS, as the backend Deployment of a chart would
 * serve it: it allows every request until it is stopped, as a backend whose pods are gone, after
 * which the API server cannot reach it and a {@code failurePolicy: Fail} webhook rejects requests.
 * Its self-signed certificate (made with the JDK's keytool) is its own CA bundle.
 */
final class WebhookBackend implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] PASSWORD = "orderly-e2e".toCharArray();

  private final HttpsServer server;
  private final String caBundle;
  private final AtomicInteger reviews = new AtomicInteger();
  private volatile boolean stopped;

  private WebhookBackend(HttpsServer server, String caBundle) {
    this.server = server;
    this.caBundle = caBundle;
  }

  /** Starts a backend with a fresh certificate for 127.0.0.1, kept in {@code dir}. */
  static WebhookBackend start(Path dir) {
    try {
      Files.createDirectories(dir);
      Path keystore = dir.resolve("webhook.p12");
      Path certificate = dir.resolve("webhook.pem");
      Files.deleteIfExists(keystore);
      keytool(
          "-genkeypair",
          "-alias",
          "webhook",
          "-keyalg",
          "RSA",
          "-keysize",
          "2048",
          "-validity",
          "2",
          "-dname",
          "CN=127.0.0.1",
          "-ext",
          "SAN=ip:127.0.0.1",
          "-keystore",
          keystore.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          new String(PASSWORD));
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          "webhook",
          "-keystore",
          keystore.toString(),
          "-storetype",
          "PKCS12",
          "-storepass",
          new String(PASSWORD),
          "-file",
          certificate.toString());
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, PASSWORD);
      }
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      WebhookBackend backend =
          new WebhookBackend(
              server, Base64.getEncoder().encodeToString(Files.readAllBytes(certificate)));
      server.createContext("/", backend::review);
      server.start();
      return backend;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the webhook backend could not start", e);
    }
  }

  /** The webhook's {@code clientConfig.url}. */
  String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/validate";
  }

  /** The base64 PEM for {@code clientConfig.caBundle}. */
  String caBundle() {
    return caBundle;
  }

  /** How many admission reviews it answered. */
  int reviews() {
    return reviews.get();
  }

  boolean stopped() {
    return stopped;
  }

  /** The backend's pods are gone: nothing answers any more. */
  void stop() {
    stopped = true;
    server.stop(0);
  }

  private void review(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode review = JSON.readTree(exchange.getRequestBody());
      ObjectNode answer = JSON.createObjectNode();
      answer.put("apiVersion", "admission.k8s.io/v1");
      answer.put("kind", "AdmissionReview");
      ObjectNode response = answer.putObject("response");
      response.put("uid", review.path("request").path("uid").asText());
      response.put("allowed", true);
      byte[] body = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      reviews.incrementAndGet();
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
  }

  @Override
  public void close() {
    if (!stopped) {
      stop();
    }
  }
}
