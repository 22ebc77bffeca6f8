package dev.orderly.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the real Helm 3.21 release Secret of the hooks-sample chart from test resources. */
public final class ReleaseFixtures {
  public static final String RELEASE_SECRET = "/fixtures/helm-release-secret.yaml";

  private ReleaseFixtures() {}

  /** A fresh copy of the fixture Secret, safe to modify. */
  public static Secret releaseSecret() {
    try (InputStream in = ReleaseFixtures.class.getResourceAsStream(RELEASE_SECRET)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RELEASE_SECRET);
      }
      return new KubernetesSerialization().unmarshal(in, Secret.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fixture, decoded. */
  public static HelmReleaseRecord sampleRelease() {
    return ReleaseRecordCodec.decode(releaseSecret());
  }
}
