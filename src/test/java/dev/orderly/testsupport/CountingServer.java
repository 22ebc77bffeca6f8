package dev.orderly.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback port posing as an API server that counts the connections made to it and closes each at
 * once, unanswered: proof that a command did not touch the cluster, or how often it tried.
 */
public final class CountingServer implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();

  private CountingServer(ServerSocket socket) {
    this.socket = socket;
  }

  /** Listens on a free loopback port. */
  public static CountingServer start() {
    try {
      CountingServer server =
          new CountingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread acceptor = new Thread(server::acceptAll, "counting-server");
      acceptor.setDaemon(true);
      acceptor.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many connections were accepted so far. */
  public int connections() {
    return accepted.get();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  /** Writes a kubeconfig into {@code dir} whose current context {@code counting} points here. */
  public Path kubeconfig(Path dir) {
    String text =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: counting
          cluster:
            server: %s
        contexts:
        - name: counting
          context: {cluster: counting, user: counting, namespace: default}
        current-context: counting
        users:
        - name: counting
          user: {}
        """
            .formatted(url());
    try {
      return Files.writeString(dir.resolve("counting-kubeconfig.yaml"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void acceptAll() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        accepted.incrementAndGet();
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // One failed accept; keep counting the others.
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
