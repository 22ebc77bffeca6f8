package dev.orderly.helm;

/**
 * A Helm release record that cannot be read; the message names the Secret (when there is one) and
 * the layer that is broken, so an operator can find and fix or remove it.
 */
public class MalformedReleaseException extends IllegalArgumentException {
  public MalformedReleaseException(String message) {
    super(message);
  }

  public MalformedReleaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
