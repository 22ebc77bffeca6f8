package dev.orderly.helm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What to install or upgrade: a chart on the local filesystem, the release's identity, and a values
 * file already merged from every source.
 */
public record HelmReleaseRequest(
    String releaseName,
    String namespace,
    Path chart,
    Path valuesFile,
    boolean createNamespace,
    Duration timeout) {}
