/**
 * Informer stores that keep only what the operator reads, so its memory follows the OrderedReleases
 * and not the cluster: ConfigMaps and Secrets some release references, Helm record Secrets without
 * their payload, and OrderedReleases without their values.
 */
package dev.orderly.cache;
