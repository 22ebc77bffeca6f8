package dev.orderly.helm;

/**
 * A Helm release record larger than any Helm writes: its gzip layer expands past {@link
 * ReleaseRecordCodec#MAX_RELEASE_JSON_BYTES}, or a base64 layer is longer than a Secret can hold.
 * Most likely a gzip bomb; Helm itself would unpack it without a bound.
 */
public class OversizedReleaseException extends MalformedReleaseException {
  public OversizedReleaseException(String message) {
    super(message);
  }
}
