package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Options for {@code helm install}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstallOptions {
  @Default("5m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long Helm may take, including its install hooks, and then, unless wait is false, how"
          + " long the objects may take to become ready, counted from when Helm finished; a"
          + " duration such as 90s or 5m. Defaults to 5m.")
  private String timeout = "5m";

  @Default("true")
  @JsonPropertyDescription(
      "Report Ready only once every object of the release is ready: Deployments, StatefulSets"
          + " and DaemonSets rolled out, Jobs complete, PersistentVolumeClaims bound, other"
          + " objects present and not reporting otherwise. Until then Ready is False"
          + " (WaitingForReadiness), naming what is not ready; after timeout Stalled is True"
          + " (ReadinessTimedOut). false: Ready as soon as Helm has applied the manifests."
          + " Defaults to true.")
  private boolean wait = true;

  @JsonPropertyDescription(
      "Install even when the chart has invalid hook annotations. The findings stay in the"
          + " HooksValid condition.")
  private boolean allowInvalidHooks;

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public boolean isAllowInvalidHooks() {
    return allowInvalidHooks;
  }

  public void setAllowInvalidHooks(boolean allowInvalidHooks) {
    this.allowInvalidHooks = allowInvalidHooks;
  }

  public boolean isWait() {
    return wait;
  }

  public void setWait(boolean wait) {
    this.wait = wait;
  }
}
