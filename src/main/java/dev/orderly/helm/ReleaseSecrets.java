package dev.orderly.helm;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Names and picks Helm 3 release Secrets: {@code sh.helm.release.v1.<release>.v<revision>},
 * labelled {@code owner=helm, name=<release>, version=<revision>}.
 */
public final class ReleaseSecrets {
  private static final String PREFIX = "sh.helm.release.v1.";

  private ReleaseSecrets() {}

  /** The label selector that finds every revision of a release, as Helm's own lookup does. */
  public static String selector(String releaseName) {
    return "owner=" + ReleaseRecordCodec.OWNER + ",name=" + releaseName;
  }

  /** Helm's Secret name for a release revision. */
  public static String secretName(String releaseName, int revision) {
    return PREFIX + releaseName + ".v" + revision;
  }

  /**
   * The revision a Secret holds: its {@code version} label, or else the {@code .v<n>} suffix of its
   * name; empty when neither is a number.
   */
  public static OptionalInt revisionOf(Secret secret) {
    ObjectMeta metadata = secret.getMetadata();
    if (metadata == null) {
      return OptionalInt.empty();
    }
    Map<String, String> labels = metadata.getLabels();
    OptionalInt fromLabel = parse(labels == null ? null : labels.get("version"));
    if (fromLabel.isPresent() || metadata.getName() == null) {
      return fromLabel;
    }
    String name = metadata.getName();
    int suffix = name.lastIndexOf(".v");
    return suffix < 0 ? OptionalInt.empty() : parse(name.substring(suffix + 2));
  }

  /**
   * The Secret of {@code releaseName}'s highest revision among {@code secrets}, which Helm treats
   * as the release's current record whatever its status. Secrets of other releases, or whose
   * revision cannot be read, are ignored.
   */
  public static Optional<Secret> latest(String releaseName, Collection<Secret> secrets) {
    return secrets.stream()
        .filter(secret -> belongsTo(secret, releaseName))
        .filter(secret -> revisionOf(secret).isPresent())
        .max(Comparator.comparingInt(secret -> revisionOf(secret).getAsInt()));
  }

  /**
   * Every Secret of {@code releaseName} among {@code secrets} whose revision can be read, oldest
   * revision first. Secrets of other releases are left out.
   */
  public static List<Secret> revisions(String releaseName, Collection<Secret> secrets) {
    return secrets.stream()
        .filter(secret -> belongsTo(secret, releaseName))
        .filter(secret -> revisionOf(secret).isPresent())
        .sorted(Comparator.comparingInt(secret -> revisionOf(secret).getAsInt()))
        .toList();
  }

  /** "Secret namespace/name", for messages. */
  public static String describe(Secret secret) {
    ObjectMeta metadata = secret.getMetadata();
    if (metadata == null) {
      return "Helm release Secret (unnamed)";
    }
    String namespace = metadata.getNamespace();
    return "Helm release Secret "
        + (namespace == null ? "" : namespace + "/")
        + (metadata.getName() == null ? "(unnamed)" : metadata.getName());
  }

  private static boolean belongsTo(Secret secret, String releaseName) {
    ObjectMeta metadata = secret.getMetadata();
    if (metadata == null) {
      return false;
    }
    Map<String, String> labels = metadata.getLabels();
    String labelled = labels == null ? null : labels.get("name");
    if (labelled != null) {
      return labelled.equals(releaseName);
    }
    // Release names may contain dots, so match the whole prefix rather than splitting on them.
    String name = metadata.getName();
    String stem = PREFIX + releaseName + ".v";
    return name != null
        && name.startsWith(stem)
        && parse(name.substring(stem.length())).isPresent();
  }

  private static OptionalInt parse(String text) {
    if (text == null || text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return OptionalInt.empty(); // too many digits to be a revision
    }
  }
}
