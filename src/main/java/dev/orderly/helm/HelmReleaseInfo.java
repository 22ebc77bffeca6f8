package dev.orderly.helm;

import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Helm release as {@code helm status} reports it. */
public record HelmReleaseInfo(
    String name,
    String namespace,
    int revision,
    String status,
    String chartName,
    String chartVersion,
    ZonedDateTime lastDeployed) {

  // Helm prints a chart as "<name>-<version>"; names may contain dashes, versions start with a
  // digit.
  private static final Pattern CHART = Pattern.compile("^(.+?)-(v?\\d+\\.\\d+.*)$");

  /** Splits Helm's "name-version" chart label into its two parts. */
  public static String[] splitChartLabel(String label) {
    if (label == null) {
      return new String[] {null, null};
    }
    Matcher matcher = CHART.matcher(label);
    return matcher.matches()
        ? new String[] {matcher.group(1), matcher.group(2)}
        : new String[] {label, null};
  }

  /** Whether Helm considers this release deployed. */
  public boolean deployed() {
    return "deployed".equalsIgnoreCase(status);
  }
}
