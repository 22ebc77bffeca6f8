package dev.orderly.helm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the tag of an OCI chart for {@code chart.version} as Helm does: a version that parses as
 * semver is the tag itself; anything else is a constraint (such as {@code ^1.2}, {@code ~1.2.3},
 * {@code >=1.0.0 <2.0.0}, {@code 1.x}, {@code 1.0 - 1.4}, joined with {@code ||}) matched against
 * the tags, highest first. Prereleases match only a constraint that names a prerelease.
 */
public final class ChartVersions {
  // Masterminds/semver's lenient form: optional v, minor and patch optional.
  private static final Pattern VERSION =
      Pattern.compile(
          "^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?$");
  private static final Pattern PARTIAL =
      Pattern.compile(
          "^v?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?"
              + "(?:\\+[0-9A-Za-z.-]+)?$");
  private static final Pattern COMPARATOR = Pattern.compile("^(=|!=|>=|<=|>|<|~>|~|\\^)?\\s*(.+)$");

  private ChartVersions() {}

  /** A parsed semantic version; build metadata is kept out of ordering, as semver says. */
  public record Version(long major, long minor, long patch, String prerelease)
      implements Comparable<Version> {
    @Override
    public int compareTo(Version other) {
      int core =
          Comparator.comparingLong(Version::major)
              .thenComparingLong(Version::minor)
              .thenComparingLong(Version::patch)
              .compare(this, other);
      if (core != 0) {
        return core;
      }
      return comparePrerelease(prerelease, other.prerelease);
    }

    boolean isPrerelease() {
      return !prerelease.isEmpty();
    }
  }

  /** The version {@code text} stands for, if it is one (lenient, as Helm parses it). */
  public static Optional<Version> parse(String text) {
    Matcher m = VERSION.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Version(
            Long.parseLong(m.group(1)),
            m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
            m.group(3) == null ? 0 : Long.parseLong(m.group(3)),
            m.group(4) == null ? "" : m.group(4)));
  }

  /** Whether {@code version} is a version, used as the tag without listing the repository. */
  public static boolean isExact(String version) {
    return parse(version).isPresent();
  }

  /**
   * The tag to pull for {@code wanted} among {@code tags} (as the registry lists them, {@code _}
   * standing for {@code +}): an exact match first, else the highest tag the constraint accepts.
   *
   * @throws IllegalArgumentException when {@code wanted} is neither a version nor a constraint
   */
  public static Optional<String> select(List<String> tags, String wanted) {
    List<String> chartTags = tags.stream().map(t -> t.replace('_', '+')).toList();
    for (String tag : chartTags) {
      if (tag.equals(wanted)) {
        return Optional.of(tag);
      }
    }
    Predicate<Version> constraint = constraint(wanted);
    return chartTags.stream()
        .filter(tag -> parse(tag).isPresent())
        .filter(tag -> constraint.test(parse(tag).orElseThrow()))
        .max(Comparator.comparing(tag -> parse(tag).orElseThrow()));
  }

  /** The OCI tag of a chart version: OCI tags cannot hold {@code +}, so Helm writes {@code _}. */
  public static String tagOf(String version) {
    return version.replace('+', '_');
  }

  /**
   * A constraint in Masterminds/semver syntax as a predicate.
   *
   * @throws IllegalArgumentException naming what could not be read
   */
  public static Predicate<Version> constraint(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an empty version constraint");
    }
    Predicate<Version> any = v -> false;
    for (String alternative : text.split("\\|\\|")) {
      any = any.or(conjunction(alternative.strip(), text));
    }
    return any;
  }

  private static Predicate<Version> conjunction(String group, String whole) {
    // "1.0 - 2.0" is a hyphen range; otherwise comparators are separated by commas or spaces,
    // with optional spaces between an operator and its version (">= 1.2").
    Matcher hyphen = Pattern.compile("^(\\S+)\\s+-\\s+(\\S+)$").matcher(group);
    List<String> parts = new ArrayList<>();
    if (hyphen.matches()) {
      parts.add(">=" + hyphen.group(1));
      parts.add("<=" + hyphen.group(2));
    } else {
      String joined = group.replaceAll("(=|>|<|~|\\^)\\s+", "$1");
      for (String part : joined.split("[,\\s]+")) {
        if (!part.isBlank()) {
          parts.add(part);
        }
      }
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("'" + whole + "' has an empty alternative");
    }
    boolean namesPrerelease = false;
    Predicate<Version> all = v -> true;
    for (String part : parts) {
      Comparison comparison = comparison(part, whole);
      namesPrerelease |= comparison.namesPrerelease;
      all = all.and(comparison.test);
    }
    boolean allowPrerelease = namesPrerelease;
    Predicate<Version> matches = all;
    return v -> (!v.isPrerelease() || allowPrerelease) && matches.test(v);
  }

  private record Comparison(Predicate<Version> test, boolean namesPrerelease) {}

  private static Comparison comparison(String part, String whole) {
    Matcher m = COMPARATOR.matcher(part);
    Matcher p = m.matches() ? PARTIAL.matcher(m.group(2)) : null;
    if (p == null || !p.matches()) {
      throw new IllegalArgumentException(
          "'" + whole + "' is neither a version nor a constraint such as ^1.2.0 or >=1.0 <2.0");
    }
    String op = m.group(1) == null ? "=" : m.group(1);
    Long major = number(p.group(1));
    Long minor = number(p.group(2));
    Long patch = number(p.group(3));
    String pre = p.group(4) == null ? "" : p.group(4);
    Version floor = new Version(zero(major), zero(minor), zero(patch), pre);
    // The first version past the wildcard: 1.2.x → 1.3.0, 1.x → 2.0.0, * → none.
    Version ceiling =
        major == null
            ? null
            : minor == null
                ? new Version(major + 1, 0, 0, "")
                : patch == null ? new Version(major, minor + 1, 0, "") : null;
    boolean wildcard = major == null || minor == null || patch == null;
    Predicate<Version> test =
        switch (op) {
          case "=" -> wildcard ? between(floor, ceiling) : v -> v.compareTo(floor) == 0;
          case "!=" -> wildcard ? between(floor, ceiling).negate() : v -> v.compareTo(floor) != 0;
          case ">" ->
              wildcard
                  ? (ceiling == null ? v -> false : v -> v.compareTo(ceiling) >= 0)
                  : v -> v.compareTo(floor) > 0;
          case ">=" -> v -> v.compareTo(floor) >= 0;
          case "<" -> v -> v.compareTo(floor) < 0;
          case "<=" ->
              wildcard
                  ? (ceiling == null ? v -> true : v -> v.compareTo(ceiling) < 0)
                  : v -> v.compareTo(floor) <= 0;
          case "~", "~>" ->
              between(
                  floor,
                  minor == null
                      ? new Version(zero(major) + 1, 0, 0, "")
                      : new Version(floor.major(), floor.minor() + 1, 0, ""));
          case "^" -> between(floor, caretCeiling(floor, minor == null, patch == null));
          default -> throw new IllegalStateException(op);
        };
    return new Comparison(test, !pre.isEmpty());
  }

  private static Version caretCeiling(Version floor, boolean noMinor, boolean noPatch) {
    if (floor.major() > 0 || noMinor) {
      return new Version(floor.major() + 1, 0, 0, "");
    }
    if (floor.minor() > 0 || noPatch) {
      return new Version(0, floor.minor() + 1, 0, "");
    }
    return new Version(0, 0, floor.patch() + 1, "");
  }

  private static Predicate<Version> between(Version floor, Version ceiling) {
    return v -> v.compareTo(floor) >= 0 && (ceiling == null || v.compareTo(ceiling) < 0);
  }

  private static Long number(String part) {
    return part == null || part.equalsIgnoreCase("x") || part.equals("*")
        ? null
        : Long.parseLong(part);
  }

  private static long zero(Long part) {
    return part == null ? 0 : part;
  }

  private static int comparePrerelease(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? 1 : -1; // a release ranks above its prereleases
    }
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.min(left.length, right.length); i++) {
      boolean leftNumber = left[i].matches("\\d+");
      boolean rightNumber = right[i].matches("\\d+");
      int order =
          leftNumber && rightNumber
              ? Long.compare(Long.parseLong(left[i]), Long.parseLong(right[i]))
              : leftNumber ? -1 : rightNumber ? 1 : left[i].compareTo(right[i]);
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(left.length, right.length);
  }
}
