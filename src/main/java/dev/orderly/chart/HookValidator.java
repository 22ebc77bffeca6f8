package dev.orderly.chart;

import static dev.orderly.chart.HelmHookAnnotations.DELETE_POLICIES;
import static dev.orderly.chart.HelmHookAnnotations.EVENTS;
import static dev.orderly.chart.HelmHookAnnotations.HOOK;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_DELETE_POLICY;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_OUTPUT_LOG_POLICY;
import static dev.orderly.chart.HelmHookAnnotations.HOOK_WEIGHT;
import static dev.orderly.chart.HelmHookAnnotations.KNOWN_KEYS;
import static dev.orderly.chart.HelmHookAnnotations.OUTPUT_LOG_POLICIES;
import static dev.orderly.chart.HelmHookAnnotations.RESOURCE_POLICY;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the {@code helm.sh/hook*} annotations of rendered objects against what Helm 3 accepts,
 * reporting every value Helm would silently drop, ignore or replace. Pure and stateless; findings
 * come in {@link HookFinding#REPORT_ORDER}.
 */
public final class HookValidator {

  static final String CRD_FIX = "move the CRD to the chart's crds/ directory";
  static final String WEIGHT_FIX = "an integer such as \"-1\"";

  private static final String SKIPPED =
      "Helm skips this resource entirely (it is neither part of the release nor run as a hook;"
          + " Helm only logs \"skipping unknown hook\")";

  private static final TokenSuggester EVENT_SUGGESTER =
      new TokenSuggester(
          EVENTS,
          Map.of(
              "pre-uninstall", "pre-delete",
              "post-uninstall", "post-delete",
              "pre-update", "pre-upgrade",
              "post-update", "post-upgrade",
              "crd-install", CRD_FIX,
              "test-failure", "test"));

  private static final Map<String, String> POLICY_MISTAKES =
      Map.of(
          "hook-success", "hook-succeeded",
          "hook-successful", "hook-succeeded",
          "succeeded", "hook-succeeded",
          "hook-failure", "hook-failed",
          "failed", "hook-failed");
  private static final TokenSuggester DELETE_POLICY_SUGGESTER =
      new TokenSuggester(DELETE_POLICIES, POLICY_MISTAKES);
  private static final TokenSuggester OUTPUT_LOG_POLICY_SUGGESTER =
      new TokenSuggester(OUTPUT_LOG_POLICIES, POLICY_MISTAKES);
  private static final String HELM_KEY_PREFIX = "helm.sh/";
  private static final TokenSuggester KEY_SUGGESTER =
      new TokenSuggester(
          KNOWN_KEYS.stream().map(key -> key.substring(HELM_KEY_PREFIX.length())).toList(),
          Map.of());

  private static final String KEEP = "keep";
  private static final TokenSuggester RESOURCE_POLICY_SUGGESTER =
      new TokenSuggester(List.of(KEEP), Map.of());

  // What Go's strconv.Atoi accepts in base 10: an optional sign and ASCII digits, nothing else.
  private static final Pattern ATOI = Pattern.compile("[+-]?[0-9]+");

  /** All findings of a rendered chart. */
  public List<HookFinding> validate(RenderedChart chart) {
    return validate(chart.objects());
  }

  /** All findings of the given objects, in report order. */
  public List<HookFinding> validate(Collection<RenderedObject> objects) {
    List<HookFinding> findings = new ArrayList<>();
    for (RenderedObject object : objects) {
      findings.addAll(validate(object));
    }
    // Stable sort: several findings of one annotation stay in the order the tokens were written.
    findings.sort(HookFinding.REPORT_ORDER);
    return List.copyOf(findings);
  }

  /** The findings of one object, in the order its annotations are checked. */
  public List<HookFinding> validate(RenderedObject object) {
    Findings findings = new Findings(object);
    Map<String, String> annotations = object.annotations();
    if (annotations.containsKey(HOOK)) {
      checkEvents(findings, annotations.get(HOOK));
    }
    if (annotations.containsKey(HOOK_WEIGHT)) {
      checkWeight(findings, annotations.get(HOOK_WEIGHT));
    }
    if (annotations.containsKey(HOOK_DELETE_POLICY)) {
      checkDeletePolicies(findings, annotations.get(HOOK_DELETE_POLICY));
    }
    if (annotations.containsKey(HOOK_OUTPUT_LOG_POLICY)) {
      checkOutputLogPolicies(findings, annotations.get(HOOK_OUTPUT_LOG_POLICY));
    }
    if (annotations.containsKey(RESOURCE_POLICY)) {
      checkResourcePolicy(findings, annotations.get(RESOURCE_POLICY));
    }
    annotations.keySet().stream().sorted().forEach(key -> checkKey(findings, key));
    return List.copyOf(findings.list);
  }

  private static void checkEvents(Findings findings, String value) {
    if (value.isBlank()) {
      findings.add(HOOK, value, "empty hook event list: " + SKIPPED, EVENT_SUGGESTER.suggest(""));
      return;
    }
    for (String token : value.split(",", -1)) {
      String event = HelmHookAnnotations.normalize(token);
      if (event.isEmpty()) {
        findings.add(
            HOOK,
            token,
            "empty hook event in \"" + value + "\" (stray comma): " + SKIPPED,
            "remove the extra comma");
      } else if (!HelmHookAnnotations.isEvent(event)) {
        findings.add(
            HOOK,
            token,
            "unknown hook event \"" + token.strip() + "\": " + SKIPPED,
            EVENT_SUGGESTER.suggest(token));
      }
    }
  }

  private static void checkWeight(Findings findings, String value) {
    // Helm calls strconv.Atoi on the raw value: no trimming, 64-bit range, and 0 on any error.
    if (ATOI.matcher(value).matches() && fitsInLong(value)) {
      return;
    }
    String trimmed = value.strip();
    boolean onlyWhitespace = ATOI.matcher(trimmed).matches() && fitsInLong(trimmed);
    String problem =
        ATOI.matcher(trimmed).matches() && !onlyWhitespace
            ? "does not fit in Go's 64-bit int"
            : "is not an integer";
    findings.add(
        HOOK_WEIGHT,
        value,
        "hook weight \"" + value + "\" " + problem + ": Helm silently uses 0",
        onlyWhitespace ? trimmed : WEIGHT_FIX);
  }

  private static void checkDeletePolicies(Findings findings, String value) {
    String consequence = "Helm ignores it";
    List<String> tokens = List.of(value.split(",", -1));
    boolean anyValid =
        tokens.stream().map(HelmHookAnnotations::normalize).anyMatch(DELETE_POLICIES::contains);
    if (!anyValid) {
      // Helm applies its default only when the annotation yields no policy at all.
      consequence += ", and because the annotation is set the default before-hook-creation is lost";
    }
    if (value.isBlank()) {
      findings.add(
          HOOK_DELETE_POLICY,
          value,
          "empty hook delete policy: " + consequence,
          "remove the annotation or name " + DELETE_POLICY_SUGGESTER.suggest(""));
      return;
    }
    for (String token : tokens) {
      String policy = HelmHookAnnotations.normalize(token);
      // An empty entry next to valid ones changes nothing in Helm, so it is not reported.
      if (!policy.isEmpty() && !DELETE_POLICIES.contains(policy)) {
        findings.add(
            HOOK_DELETE_POLICY,
            token,
            "unknown hook delete policy \"" + token.strip() + "\": " + consequence,
            DELETE_POLICY_SUGGESTER.suggest(token));
      }
    }
  }

  private static void checkOutputLogPolicies(Findings findings, String value) {
    for (String token : value.split(",", -1)) {
      String policy = HelmHookAnnotations.normalize(token);
      if (!policy.isEmpty() && !OUTPUT_LOG_POLICIES.contains(policy)) {
        findings.add(
            HOOK_OUTPUT_LOG_POLICY,
            token,
            "unknown hook output log policy \"" + token.strip() + "\": Helm ignores it",
            OUTPUT_LOG_POLICY_SUGGESTER.suggest(token));
      }
    }
  }

  /**
   * Flags a resource policy other than exactly {@code keep}. Helm 3.21 reads the value two ways:
   * uninstall keeps an object that has the annotation whatever its value (only trimmed, lower-cased
   * keep is reported as kept), while an upgrade that drops the object from the chart keeps it only
   * when the value is exactly keep. Orderly's teardown follows uninstall.
   */
  private static void checkResourcePolicy(Findings findings, String value) {
    if (KEEP.equals(value)) {
      return;
    }
    String message;
    if (KEEP.equals(HelmHookAnnotations.normalize(value))) {
      message =
          "resource policy \""
              + value
              + "\" is read as keep on uninstall (Helm trims and lower-cases it there), but an"
              + " upgrade that drops the object from the chart deletes it (Helm compares it with"
              + " keep exactly there)";
    } else {
      message =
          "unknown resource policy \""
              + value
              + "\": Helm's uninstall still keeps the object (any value of this annotation keeps"
              + " it, without listing it as kept) and so does Orderly's teardown, but an upgrade"
              + " that drops the object from the chart deletes it";
    }
    String fix =
        RESOURCE_POLICY_SUGGESTER
            .closest(value)
            .orElse(KEEP + ", or remove the annotation if the object should be deleted");
    findings.add(RESOURCE_POLICY, value, message, fix);
  }

  /**
   * Flags keys Helm does not read: misspelt ones such as {@code helm.sh/hooks}, and ones that
   * differ from Helm's only in case, such as {@code Helm.sh/hook}. Helm looks its keys up in a Go
   * map, which is case-sensitive, while the API server accepts annotation keys in any case, so such
   * a key is silently ignored all the way into the cluster.
   */
  private static void checkKey(Findings findings, String key) {
    String lowerCase = key.toLowerCase(Locale.ROOT);
    if (!lowerCase.startsWith(HELM_KEY_PREFIX) || KNOWN_KEYS.contains(key)) {
      return;
    }
    if (KNOWN_KEYS.contains(lowerCase)) {
      findings.add(
          key,
          key,
          "annotation keys are case-sensitive: Helm reads \""
              + lowerCase
              + "\" and ignores \""
              + key
              + "\", so "
              + ignoredKeyConsequence(lowerCase),
          lowerCase);
      return;
    }
    String name = key.substring(HELM_KEY_PREFIX.length());
    Optional<String> meant = KEY_SUGGESTER.closest(name).map(HELM_KEY_PREFIX::concat);
    if (meant.isPresent() || name.toLowerCase(Locale.ROOT).contains("hook")) {
      findings.add(
          key,
          key,
          "unknown Helm annotation \"" + key + "\": Helm does not read it",
          meant.orElse("one of: " + String.join(", ", KNOWN_KEYS)));
    }
  }

  /** What Helm does when it does not see {@code key}, one of its own. */
  private static String ignoredKeyConsequence(String key) {
    return switch (key) {
      case HOOK ->
          "the object is not a hook: Helm installs it with the release and deletes it on"
              + " uninstall like any other object";
      case HOOK_WEIGHT -> "Helm uses weight 0";
      case HOOK_DELETE_POLICY -> "Helm applies its default delete policy, before-hook-creation";
      case HOOK_OUTPUT_LOG_POLICY -> "Helm logs no hook output";
      case RESOURCE_POLICY -> "the object has no resource policy and uninstall deletes it";
      default -> "Helm does not read it";
    };
  }

  private static boolean fitsInLong(String digits) {
    try {
      Long.parseLong(digits);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Collects the findings of one object, filling in where they come from. */
  private static final class Findings {
    private final RenderedObject object;
    private final List<HookFinding> list = new ArrayList<>();

    Findings(RenderedObject object) {
      this.object = object;
    }

    void add(String annotation, String token, String message, String fix) {
      list.add(
          new HookFinding(
              object.sourcePath(), object.kind(), object.name(), annotation, token, message, fix));
    }
  }
}
