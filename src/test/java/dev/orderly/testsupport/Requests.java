package dev.orderly.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reading and rewriting the mock server's requests without draining their bodies. */
final class Requests {

  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Requests() {}

  /** The body as text; {@link Buffer#readUtf8()} would empty the buffer the CRUD store reads. */
  static String text(Buffer buffer) {
    return buffer == null ? "" : new String(buffer.getBytes(), StandardCharsets.UTF_8);
  }

  /** Parsed JSON, or a missing node when the text is empty or no JSON. */
  static JsonNode json(String text) {
    if (text == null || text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException notJson) {
      return MissingNode.getInstance();
    }
  }

  /** The media type of the request body without parameters, lower case. */
  static String mediaType(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType == null) {
      return "";
    }
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /** The same request with another body and content type. */
  static RecordedRequest withBody(RecordedRequest request, String contentType, String body) {
    return with(request, request.method(), request.getPath(), contentType, body);
  }

  /** A request derived from {@code request} with another method, path, content type and body. */
  static RecordedRequest with(
      RecordedRequest request, HttpMethod method, String path, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new RecordedRequest(
        request.getHttpVersion(),
        method,
        path,
        request
            .getHeaders()
            .newBuilder()
            .set("Content-Type", contentType)
            .set("Content-Length", String.valueOf(bytes.length))
            .build(),
        new Buffer(bytes));
  }
}
