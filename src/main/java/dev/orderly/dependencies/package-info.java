/**
 * Order between OrderedReleases (spec.dependsOn): which dependency an install waits for, which
 * dependents a teardown waits for, cycles, missing dependencies, and the order a set comes down in.
 * Pure: no Kubernetes calls, no clock of its own.
 */
package dev.orderly.dependencies;
