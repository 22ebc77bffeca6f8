package dev.orderly.helm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What to install or upgrade: a chart on the local filesystem, the release's identity, a values
 * file already merged from every source, and the description Helm stores in the revision's {@code
 * info.description} when it succeeds (null for Helm's own).
 */
public record HelmReleaseRequest(
    String releaseName,
    String namespace,
    Path chart,
    Path valuesFile,
    boolean createNamespace,
    Duration timeout,
    String description) {}
