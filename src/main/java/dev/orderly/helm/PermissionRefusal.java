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
      return Optional.of(
          "the chart grants permissions the operator does not hold itself, and Kubernetes lets no"
              + " one grant what it does not hold: "
              + notHeld(helmMessage)
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

  /**
   * The refusal in {@code message}, made as the ServiceAccount {@code who} (e.g. {@code
   * ServiceAccount team-a/deployer}), described as what {@code who} may not do: the verb, the
   * resource and where; empty when the message is not an RBAC refusal. The operator's own rights do
   * not matter then, so the advice is about the ServiceAccount's.
   */
  public static Optional<String> describeFor(String message, String who) {
    if (message == null) {
      return Optional.empty();
    }
    if (message.contains(ESCALATION)) {
      return Optional.of(
          who
              + " may not grant permissions it does not hold itself (Kubernetes' escalation"
              + " check): "
              + notHeld(message)
              + ". Bind them to "
              + who
              + " first, or leave them out of the chart");
    }
    Matcher cannot = CANNOT.matcher(message);
    if (message.contains("forbidden") && cannot.find() && "impersonate".equals(cannot.group(1))) {
      // The operator itself was refused, before the request was ever the account's.
      return Optional.of(
          "the operator may not impersonate "
              + who
              + ": its ClusterRole needs impersonate on serviceaccounts (the operator chart and"
              + " operator/ grant it)");
    }
    if (message.contains("forbidden") && cannot.find(0)) {
      String where = cannot.group(4);
      boolean clusterScope = "at the cluster scope".equals(where);
      return Optional.of(
          who
              + " may not "
              + cannot.group(1)
              + " "
              + resources("\"" + cannot.group(2) + "\"", "\"" + cannot.group(3) + "\"")
              + (where == null ? "" : " " + where.replace("\"", ""))
              + (clusterScope ? " (cluster-scoped)" : "")
              + ". Grant it to "
              + who
              + (clusterScope ? " with a ClusterRoleBinding" : " with a RoleBinding")
              + ", or change the chart or spec so that it is not needed");
    }
    return Optional.empty();
  }

  private static String notHeld(String message) {
    List<String> missing = new ArrayList<>();
    Matcher rule = RULE.matcher(message);
    while (rule.find()) {
      missing.add(
          words(rule.group(4))
              + " on "
              + resources(rule.group(2), rule.group(1))
              + (rule.group(3) == null || rule.group(3).isBlank()
                  ? ""
                  : " named " + words(rule.group(3))));
    }
    Matcher url = NON_RESOURCE.matcher(message);
    while (url.find()) {
      missing.add(words(url.group(2)) + " on URLs " + words(url.group(1)));
    }
    return missing.isEmpty() ? "(not named by the API server)" : String.join("; ", missing);
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
