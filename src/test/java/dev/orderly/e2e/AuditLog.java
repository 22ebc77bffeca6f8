package dev.orderly.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The real API server's audit log (one JSON line per request): the order in which the server, not
 * the operator, saw each request complete. Only the {@code ResponseComplete} stage is kept.
 */
final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  /** One completed request. {@code group} is "" for the core group. */
  record Entry(
      Instant completedAt,
      String verb,
      String user,
      String userAgent,
      String group,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      String impersonatedUser,
      String requestUri) {

    /** Who the server authorised the request as: the impersonated user, else the caller. */
    String actingUser() {
      return impersonatedUser.isEmpty() ? user : impersonatedUser;
    }

    boolean isDelete() {
      return "delete".equals(verb);
    }

    boolean succeeded() {
      return code >= 200 && code < 300;
    }

    boolean isRbac() {
      return "rbac.authorization.k8s.io".equals(group) || "serviceaccounts".equals(resource);
    }

    @Override
    public String toString() {
      return completedAt
          + " "
          + verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + (subresource.isEmpty() ? "" : "/" + subresource)
          + " "
          + (namespace.isEmpty() ? "" : namespace + "/")
          + name
          + " -> "
          + code
          + " by "
          + user
          + (impersonatedUser.isEmpty() ? "" : " as " + impersonatedUser);
    }
  }

  /** The first DELETE of {@code resource} {@code name} among {@code entries}; fails without one. */
  static Entry deleteOf(List<Entry> entries, String resource, String name) {
    return entries.stream()
        .filter(e -> e.isDelete() && e.resource().equals(resource) && e.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no delete of " + resource + " " + name + " in " + entries));
  }

  /** Every DELETE the operator made that succeeded, since {@code since}, in order. */
  List<Entry> operatorDeletes(Instant since) {
    return matching(
        since, e -> e.isDelete() && e.succeeded() && e.user().equals(ControlPlane.OPERATOR_USER));
  }

  /** Every completed request since {@code since}, in the order the server completed them. */
  List<Entry> since(Instant since) {
    return entries().stream().filter(e -> !e.completedAt().isBefore(since)).toList();
  }

  List<Entry> entries() {
    return entriesFrom(0);
  }

  /** How many bytes the log holds now: a mark for {@link #entriesFrom}. */
  long size() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The entries written after byte {@code offset} (a {@link #size} taken earlier), in completion
   * order: a long run reads only its own part of a large log.
   */
  List<Entry> entriesFrom(long offset) {
    List<Entry> entries = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      in.skipNBytes(Math.min(offset, Files.size(file)));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        Entry entry = parse(line);
        if (entry != null) {
          entries.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.sort(Comparator.comparing(Entry::completedAt));
    return entries;
  }

  /** The entries matching {@code filter}, in completion order. */
  List<Entry> matching(Instant since, Predicate<Entry> filter) {
    return since(since).stream().filter(filter).toList();
  }

  private static Entry parse(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(line);
      if (!"ResponseComplete".equals(node.path("stage").asText())) {
        return null;
      }
      JsonNode ref = node.path("objectRef");
      return new Entry(
          Instant.parse(node.path("stageTimestamp").asText()),
          node.path("verb").asText(),
          node.path("user").path("username").asText(),
          node.path("userAgent").asText(),
          ref.path("apiGroup").asText(""),
          ref.path("resource").asText(""),
          ref.path("subresource").asText(""),
          ref.path("namespace").asText(""),
          ref.path("name").asText(""),
          node.path("responseStatus").path("code").asInt(),
          node.path("impersonatedUser").path("username").asText(""),
          node.path("requestURI").asText(""));
    } catch (IOException e) {
      // The server may be writing the last line as we read it.
      return null;
    }
  }
}
