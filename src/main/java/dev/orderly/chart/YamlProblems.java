package dev.orderly.chart;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns a YAML parser's multi-line report into one line: the problem and where it is. */
final class YamlProblems {

  private YamlProblems() {}

  /** E.g. {@code mapping values are not allowed here (line 3, column 9)}. */
  static String oneLine(JsonProcessingException e) {
    String problem;
    if (e instanceof MarkedYAMLException marked && marked.getProblem() != null) {
      problem = marked.getProblem();
    } else {
      // Jackson's own message, e.g. when a line starts a mapping where a key belongs.
      String original = String.valueOf(e.getOriginalMessage());
      problem = original.lines().findFirst().orElse(original);
      if (problem.startsWith("Expected a field name")) {
        problem = "expected a key, found a mapping";
      }
    }
    JsonLocation location = e.getLocation();
    return location == null || location.getLineNr() < 1
        ? problem
        : problem + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
