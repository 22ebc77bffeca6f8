package dev.orderly.helm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit: a repository or registry is anyone's server (the
 * spec names it), and an answer without end would fill the shared operator's heap. Past the limit
 * the exchange is cancelled and {@code HttpClient.send} throws an {@link IOException}.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final long limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private BoundedBody(long limit) {
    this.limit = limit;
  }

  /** An answer past the limit; found by {@link #causes} when the HTTP client wraps it. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("the answer is larger than " + limit + " bytes");
    }

    /** Whether {@code error} is, or was caused by, a {@link TooLarge}. */
    static boolean causes(Throwable error) {
      for (Throwable e = error; e != null; e = e.getCause()) {
        if (e instanceof TooLarge) {
          return true;
        }
      }
      return false;
    }
  }

  /** A body handler that keeps at most {@code limit} bytes. */
  static HttpResponse.BodyHandler<byte[]> atMost(long limit) {
    return info -> new BoundedBody(limit);
  }

  /**
   * Copies at most {@code limit} bytes of {@code in} to {@code out}.
   *
   * @throws IOException when there are more
   */
  static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    for (int read; (read = in.read(buffer)) >= 0; ) {
      copied += read;
      if (copied > limit) {
        throw new TooLarge(limit);
      }
      out.write(buffer, 0, read);
    }
    return copied;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if (bytes.size() + (long) item.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit));
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(bytes.toByteArray());
  }
}
