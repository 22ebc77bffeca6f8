package dev.orderly.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the API server's RBAC refusals inside a Helm error and says, in one line, which
 * permission the operator lacks and which value of the operator's chart grants it. Kubernetes
 * refuses a Role or binding that grants more than its creator holds (the escalation check), and any
 * request the operator's ClusterRoles do not cover.
 */
public final class PermissionRefusal {
  private static final String ESCALATION =
      "is attempting to grant RBAC permissions not currently held";
  private static final Pattern RULE =
      Pattern.compile(
          "\\{APIGroups:\\[([^\\]]*)\\], Resources:\\[([^\\]]*)\\](?:, ResourceNames:\\[([^\\]]*)\\])?, Verbs:\\[([^\\]]*)\\]");
  private static final Pattern NON_RESOURCE =
      Pattern.compile("\\{NonResourceURLs:\\[([^\\]]*)\\], Verbs:\\[([^\\]]*)\\]");
  private static final Pattern CANNOT =
      Pattern.compile(
          "cannot (\\w+) resource \"([^\"]+)\" in API group \"([^\"]*)\"(?: (at the cluster scope|in the namespace \"[^\"]+\"))?");

  private PermissionRefusal() {}

  /**
   * The refusal in {@code helmMessage}, described with what to change, or empty when the message is
   * not an RBAC refusal.
   */
  public static Optional<String> describe(String helmMessage) {
    if (helmMessage == null) {
      return Optional.empty();
    }
    if (helmMessage.contains(ESCALATION)) {
      List<String> missing = new ArrayList<>();
      Matcher rule = RULE.matcher(helmMessage);
      while (rule.find()) {
        missing.add(
            words(rule.group(4))
                + " on "
                + resources(rule.group(2), rule.group(1))
                + (rule.group(3) == null || rule.group(3).isBlank()
                    ? ""
                    : " named " + words(rule.group(3))));
      }
      Matcher url = NON_RESOURCE.matcher(helmMessage);
      while (url.find()) {
        missing.add(words(url.group(2)) + " on URLs " + words(url.group(1)));
      }
      return Optional.of(
          "the chart grants permissions the operator does not hold itself, and Kubernetes lets no"
              + " one grant what it does not hold: "
              + (missing.isEmpty() ? "(not named by the API server)" : String.join("; ", missing))
              + ". Add them to the operator chart's rbac.clusterReleaseObjectRules (or"
              + " rbac.releaseObjectRules for a namespaced Role), or set rbac.allowEscalation=true"
              + " to let the operator grant anything");
    }
    Matcher cannot = CANNOT.matcher(helmMessage);
    if (helmMessage.contains("forbidden") && cannot.find()) {
      boolean clusterScope = "at the cluster scope".equals(cannot.group(4));
      return Optional.of(
          "the operator may not "
              + cannot.group(1)
              + " "
              + resources("\"" + cannot.group(2) + "\"", "\"" + cannot.group(3) + "\"")
              + (clusterScope ? " (cluster-scoped)" : "")
              + ". Add the kind to the operator chart's "
              + (clusterScope ? "rbac.clusterReleaseObjectRules" : "rbac.releaseObjectRules"));
    }
    return Optional.empty();
  }

  /** {@code "nodes" "pods"} in group {@code ""} reads {@code nodes, pods}. */
  private static String resources(String resources, String groups) {
    String group = String.join(",", unquote(groups));
    List<String> names = unquote(resources);
    return names.stream()
        .map(name -> group.isEmpty() ? name : name + "." + group)
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private static String words(String quoted) {
    return String.join(",", unquote(quoted));
  }

  private static List<String> unquote(String quoted) {
    List<String> words = new ArrayList<>();
    for (String word : quoted.trim().split("\\s+")) {
      String bare = word.replace("\"", "");
      if (!bare.isEmpty()) {
        words.add(bare);
      }
    }
    return words;
  }
}
