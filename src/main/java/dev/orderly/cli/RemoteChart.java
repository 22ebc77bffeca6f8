package dev.orderly.cli;

import dev.orderly.api.ChartSource;
import dev.orderly.helm.RegistryCredentials;
import java.util.Optional;

/**
 * A chart {@code orderly plan} pulls from an OCI registry, as {@code helm template oci://...}
 * would: {@code oci://host/path/name} with {@code --version} (a tag or a range), an optional {@code
 * --digest}, credentials and {@code --plain-http}.
 */
record RemoteChart(
    String reference,
    String version,
    String digest,
    Optional<RegistryCredentials> credentials,
    boolean plainHttp) {

  /** The chart source the operator would be given for the same chart. */
  ChartSource source() {
    int slash = reference.lastIndexOf('/');
    ChartSource source =
        ChartSource.fromRepository(
            reference.substring(0, slash), reference.substring(slash + 1), version);
    source.setDigest(digest);
    source.setInsecure(plainHttp ? Boolean.TRUE : null);
    return source;
  }

  /** The registry's host and port, for looking up credentials. */
  String host() {
    String rest = reference.substring(ChartSource.OCI_SCHEME.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
