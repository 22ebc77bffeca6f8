package dev.orderly.dependencies;

import dev.orderly.dependencies.DependencyGraph.Key;
import dev.orderly.dependencies.DependencyGraph.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Graphs written as text for table-driven tests: {@code "app:crs crs:op op*"} is app depending on
 * crs, crs on op, and op Ready ({@code *}). A name without a namespace is in {@code ns}.
 */
final class Graphs {
  private Graphs() {}

  static DependencyGraph parse(String text) {
    List<Node> nodes = new ArrayList<>();
    for (String token : text.trim().split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      String[] parts = token.split(":", 2);
      boolean ready = parts[0].endsWith("*");
      Key key = key(parts[0].replace("*", ""));
      List<Key> dependsOn =
          parts.length < 2 || parts[1].isEmpty()
              ? List.of()
              : Arrays.stream(parts[1].split(",")).map(Graphs::key).toList();
      nodes.add(new Node(key, dependsOn, ready));
    }
    return DependencyGraph.of(nodes);
  }

  static Key key(String text) {
    int slash = text.indexOf('/');
    return slash < 0
        ? new Key("ns", text)
        : new Key(text.substring(0, slash), text.substring(slash + 1));
  }

  static List<Key> keys(String text) {
    return text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(Graphs::key).toList();
  }
}
