package dev.orderly.helm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderly.api.OrderedRelease;
import dev.orderly.api.ReleaseStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose a Helm release is, read from its record Secrets, and what an OrderedRelease may therefore
 * do with it: install, upgrade, adopt, tear down, or leave it alone. Pure: it reads what it is
 * given and decides; the labelling and lookups are done by the caller.
 *
 * <p>Orderly marks a release it owns in two ways. Each record Secret it wrote gets the label
 * {@value #OWNER_UID_LABEL} (the OrderedRelease's UID) and the annotation {@value
 * #OWNER_ANNOTATION} ({@code <namespace>/<name>}, for messages), added after every install and
 * upgrade; Helm 3.13+ carries such labels into the next revision from its first (pending) write.
 * And Helm's {@code info.description} of a successful revision reads {@code
 * orderly.dev/owner-uid=<uid> (OrderedRelease <ns>/<name>)}, which covers a crash between Helm's
 * success and the label. Helm 3.21 writes a pending or failed revision with descriptions of its
 * own, so a first install interrupted before either marker is written looks like a release
 * installed outside Orderly.
 */
public final class ReleaseOwnership {
  /** Label on a release record Secret: the UID of the OrderedRelease that owns the release. */
  public static final String OWNER_UID_LABEL = "orderly.dev/owner-uid";

  /** Annotation on a release record Secret: {@code <namespace>/<name>} of the owner. */
  public static final String OWNER_ANNOTATION = "orderly.dev/owner";

  private static final String DESCRIPTION_PREFIX = OWNER_UID_LABEL + "=";
  private static final Pattern DESCRIPTION =
      Pattern.compile(
          Pattern.quote(DESCRIPTION_PREFIX) + "(\\S+)(?: \\(OrderedRelease ([^)\\s]+)\\))?");

  private ReleaseOwnership() {}

  /** What the record Secrets say about the release's owner. */
  public sealed interface Claim permits None, Ours, Unclaimed, OtherOwner {}

  /** Helm has no record of the release. */
  public record None() implements Claim {}

  /**
   * The release is this OrderedRelease's; {@code newestLabelled} is false when the newest record
   * still lacks the label (known by description, an older revision, or status alone).
   */
  public record Ours(boolean newestLabelled) implements Claim {}

  /** The release carries no owner marker: installed by helm, Flux or another tool. */
  public record Unclaimed(int revision) implements Claim {}

  /**
   * Another OrderedRelease owns the release; {@code owner} is its {@code namespace/name}, null when
   * no record says it.
   */
  public record OtherOwner(String uid, String owner) implements Claim {
    /** "OrderedRelease ns/name (uid …)", or "another OrderedRelease (uid …)". */
    public String describe() {
      return (owner == null ? "another OrderedRelease" : "OrderedRelease " + owner)
          + " (uid "
          + uid
          + ")";
    }
  }

  /** What an install or upgrade may do. */
  public sealed interface Verdict permits Proceed, Refuse {}

  /** Go ahead; {@code adopting} when this takes over a release that was not ours. */
  public record Proceed(boolean adopting) implements Verdict {}

  /** Touch nothing; {@code message} names the owner and what to do. */
  public record Refuse(String message) implements Verdict {}

  /** What a teardown may do. */
  public enum TeardownVerdict {
    /** Tear the release down as planned. */
    TearDown,
    /** The release is someone else's: remove only the finalizer. */
    LeaveAlone,
    /** No record and nothing recorded as installed: there is nothing of ours to tear down. */
    NothingInstalled
  }

  /** The description Orderly passes to Helm for every install and upgrade it runs. */
  public static String description(OrderedRelease resource) {
    return DESCRIPTION_PREFIX
        + resource.getMetadata().getUid()
        + " (OrderedRelease "
        + ownerName(resource)
        + ")";
  }

  /** {@code namespace/name} of {@code resource}, as the owner annotation holds it. */
  public static String ownerName(OrderedRelease resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  /**
   * Whose release {@code resource.releaseName()} is, from every record Secret of it in its
   * namespace ({@code secrets} may hold others; they are ignored). The newest revision carrying a
   * marker decides: a later adoption relabels the newest. A release without any marker is still
   * ours when {@code status.release} says this OrderedRelease installed it, as every release did
   * before Orderly marked them.
   */
  public static Claim claim(OrderedRelease resource, Collection<Secret> secrets) {
    List<Secret> revisions = ReleaseSecrets.revisions(resource.releaseName(), secrets);
    if (revisions.isEmpty()) {
      return new None();
    }
    String ours = resource.getMetadata().getUid();
    Secret newest = revisions.get(revisions.size() - 1);
    boolean newestLabelled = ours != null && ours.equals(label(newest));
    for (int i = revisions.size() - 1; i >= 0; i--) {
      Optional<OtherOwner> marker = marker(revisions.get(i));
      if (marker.isPresent()) {
        return ours != null && ours.equals(marker.get().uid())
            ? new Ours(newestLabelled)
            : marker.get();
      }
    }
    if (installedByStatus(resource) || firstInstallCutShort(resource, revisions)) {
      return new Ours(false);
    }
    return new Unclaimed(ReleaseSecrets.revisionOf(newest).orElse(0));
  }

  /**
   * Whether {@code resource} may install or upgrade its release.
   *
   * @param ownerGone whether the other owner (for {@link OtherOwner}) is known to no longer exist
   */
  public static Verdict toApply(OrderedRelease resource, Claim claim, boolean ownerGone) {
    boolean adopt = resource.getSpec() != null && resource.getSpec().isAdoptRelease();
    String release = "Helm release " + resource.targetNamespace() + "/" + resource.releaseName();
    if (claim instanceof Unclaimed unclaimed) {
      if (adopt) {
        return new Proceed(true);
      }
      return new Refuse(
          release
              + " (revision "
              + unclaimed.revision()
              + ") was installed outside Orderly: by helm, Flux or another tool; it is left"
              + " untouched. To let this OrderedRelease take it over, upgrade it with its chart"
              + " and tear it down when deleted, set spec.adoptRelease: true; otherwise pick"
              + " another spec.releaseName");
    }
    if (claim instanceof OtherOwner other) {
      if (!ownerGone) {
        return new Refuse(
            release
                + " is owned by "
                + other.describe()
                + "; it is left untouched. Two OrderedReleases cannot share a release (adoption"
                + " does not apply): pick another spec.releaseName or spec.targetNamespace");
      }
      if (adopt) {
        return new Proceed(true);
      }
      return new Refuse(
          release
              + " was installed by "
              + other.describe()
              + ", which no longer exists; it is left untouched. To let this OrderedRelease"
              + " take it over, set spec.adoptRelease: true; otherwise pick another"
              + " spec.releaseName");
    }
    return new Proceed(false);
  }

  /**
   * Whether deleting {@code resource} may tear its release down. An adoption asked for in the spec
   * counts even if it never got to run: the user has said the release is this object's.
   *
   * @param ownerGone whether the other owner (for {@link OtherOwner}) is known to no longer exist
   */
  public static TeardownVerdict toTearDown(
      OrderedRelease resource, Claim claim, boolean ownerGone) {
    if (claim instanceof None) {
      // Without a record, only what Helm's annotations name can be found, and another tool's
      // release of the same name carries the same annotations: search only when this object
      // recorded an install (the record went with a namespace deletion, say).
      return installedByStatus(resource)
          ? TeardownVerdict.TearDown
          : TeardownVerdict.NothingInstalled;
    }
    if (claim instanceof Ours) {
      return TeardownVerdict.TearDown;
    }
    return toApply(resource, claim, ownerGone) instanceof Proceed
        ? TeardownVerdict.TearDown
        : TeardownVerdict.LeaveAlone;
  }

  /** What to say when a teardown leaves {@code claim}'s release alone. */
  public static String leftAlone(OrderedRelease resource, Claim claim) {
    String release = "Helm release " + resource.targetNamespace() + "/" + resource.releaseName();
    String whose =
        claim instanceof OtherOwner other
            ? " is owned by " + other.describe()
            : " was installed outside Orderly (by helm, Flux or another tool) and never adopted";
    return release
        + whose
        + "; nothing was deleted: no hook ran, no object or record was removed. Removing the"
        + " finalizer";
  }

  /** The labels that mark a record Secret as {@code resource}'s. */
  public static Map<String, String> labels(OrderedRelease resource) {
    return Map.of(OWNER_UID_LABEL, resource.getMetadata().getUid());
  }

  /** The annotations that name {@code resource} on a record Secret it owns. */
  public static Map<String, String> annotations(OrderedRelease resource) {
    return Map.of(OWNER_ANNOTATION, ownerName(resource));
  }

  /** Whether status says this object installed a release of its current name and namespace. */
  static boolean installedByStatus(OrderedRelease resource) {
    ReleaseStatus recorded =
        resource.getStatus() == null ? null : resource.getStatus().getRelease();
    return recorded != null
        && recorded.getRevision() != null
        && resource.releaseName().equals(recorded.getName())
        && (recorded.getNamespace() == null
            || resource.targetNamespace().equals(recorded.getNamespace()));
  }

  /**
   * Whether the only record is what this object's own first install left when it was cut short: a
   * revision 1 still {@code pending-install} (or {@code failed}), unmarked because Helm writes the
   * owner's description only on success and the label comes after, while status says this object
   * started installing a release of that name ({@code status.release} without a revision, saved
   * when the install began, before Helm writes its first record).
   */
  static boolean firstInstallCutShort(OrderedRelease resource, List<Secret> revisions) {
    ReleaseStatus recorded =
        resource.getStatus() == null ? null : resource.getStatus().getRelease();
    if (recorded == null
        || recorded.getRevision() != null
        || revisions.size() != 1
        || !resource.releaseName().equals(recorded.getName())
        || !resource.targetNamespace().equals(recorded.getNamespace())) {
      return false;
    }
    Secret only = revisions.get(0);
    Map<String, String> labels = only.getMetadata().getLabels();
    String status = labels == null ? null : labels.get("status");
    return ReleaseSecrets.revisionOf(only).orElse(0) == 1
        && ("pending-install".equals(status) || "failed".equals(status));
  }

  /** The owner one record Secret names, by label first, else by Helm's description. */
  private static Optional<OtherOwner> marker(Secret secret) {
    String uid = label(secret);
    if (uid != null && !uid.isBlank()) {
      ObjectMeta metadata = secret.getMetadata();
      String owner =
          metadata.getAnnotations() == null
              ? null
              : metadata.getAnnotations().get(OWNER_ANNOTATION);
      return Optional.of(new OtherOwner(uid, owner));
    }
    return description(secret)
        .map(DESCRIPTION::matcher)
        .filter(Matcher::find)
        .map(m -> new OtherOwner(m.group(1), m.group(2)));
  }

  private static String label(Secret secret) {
    Map<String, String> labels =
        secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
    return labels == null ? null : labels.get(OWNER_UID_LABEL);
  }

  private static Optional<String> description(Secret secret) {
    try {
      JsonNode description =
          ReleaseRecordCodec.releaseJson(secret).path("info").path("description");
      return description.isTextual() ? Optional.of(description.asText()) : Optional.empty();
    } catch (MalformedReleaseException e) {
      // An unreadable record names no owner; the teardown refuses it on its own terms.
      return Optional.empty();
    }
  }
}
