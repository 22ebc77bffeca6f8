package dev.orderly.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A multi-document YAML stream (Helm's rendered output or a plain manifest file) split into its
 * objects, each with its own text and the template Helm's {@code # Source:} comment names.
 */
record Manifest(List<Manifest.Document> documents) {
  private static final Pattern SEPARATOR = Pattern.compile("^---\\s*$");
  private static final Pattern SOURCE = Pattern.compile("^# Source: (.+?)\\s*$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * One object.
   *
   * @param source the template that rendered it, e.g. {@code orderly/templates/service.yaml}, or ""
   *     when the text has no {@code # Source:} comment
   * @param text the document as written, comments included
   */
  record Document(String source, String text, ObjectNode object) {
    String kind() {
      return object.path("kind").asText();
    }

    String name() {
      return object.path("metadata").path("name").asText();
    }

    String namespace() {
      return object.path("metadata").path("namespace").asText();
    }

    /** Identifies the object in a cluster: apiVersion, kind, namespace and name. */
    String id() {
      String where = namespace().isEmpty() ? name() : namespace() + "/" + name();
      return object.path("apiVersion").asText() + " " + kind() + " " + where;
    }
  }

  Manifest {
    documents = List.copyOf(documents);
  }

  /** Splits {@code yaml} at {@code ---} lines, dropping documents that hold no object. */
  static Manifest parse(String yaml) {
    List<Document> documents = new ArrayList<>();
    String source = "";
    StringBuilder text = new StringBuilder();
    for (String line : yaml.split("\n", -1)) {
      if (SEPARATOR.matcher(line).matches()) {
        add(documents, source, text.toString());
        text.setLength(0);
        source = "";
        continue;
      }
      Matcher sourceLine = SOURCE.matcher(line);
      if (source.isEmpty() && sourceLine.matches()) {
        source = sourceLine.group(1);
      }
      text.append(line).append('\n');
    }
    add(documents, source, text.toString());
    return new Manifest(documents);
  }

  private static void add(List<Document> documents, String source, String text) {
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the document from " + source + ":\n" + text, e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return; // only comments: a template whose whole body is switched off
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("not an object: " + text);
    }
    documents.add(new Document(source, text, object));
  }

  /** Every object of {@code kind}. */
  List<Document> all(String kind) {
    return documents.stream().filter(d -> d.kind().equals(kind)).toList();
  }

  /** The object of {@code kind} named {@code name} in the given namespace ("" for none). */
  Optional<Document> find(String kind, String namespace, String name) {
    return documents.stream()
        .filter(d -> d.kind().equals(kind))
        .filter(d -> d.namespace().equals(namespace) && d.name().equals(name))
        .findFirst();
  }

  /** Like {@link #find}, for an object that must be there; returns the object itself. */
  ObjectNode get(String kind, String namespace, String name) {
    return find(kind, namespace, name)
        .map(Document::object)
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    "no %s %s/%s among %s"
                        .formatted(
                            kind, namespace, name, documents.stream().map(Document::id).toList())));
  }
}
