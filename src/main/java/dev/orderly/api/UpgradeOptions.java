package dev.orderly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Options for {@code helm upgrade}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeOptions {
  @Default("5m")
  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "How long Helm may take, including its upgrade hooks, and then, unless wait is false, how"
          + " long the objects may take to become ready, counted from when Helm finished; a"
          + " duration such as 90s or 5m. Defaults to 5m.")
  private String timeout = "5m";

  @Default("true")
  @JsonPropertyDescription(
      "Report Ready only once every object of the upgraded release is ready: Deployments, StatefulSets"
          + " and DaemonSets rolled out, Jobs complete, PersistentVolumeClaims bound, other"
          + " objects present and not reporting otherwise. Until then Ready is False"
          + " (WaitingForReadiness), naming what is not ready; after timeout Stalled is True"
          + " (ReadinessTimedOut). false: Ready as soon as Helm has applied the manifests."
          + " Defaults to true.")
  private boolean wait = true;

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public boolean isWait() {
    return wait;
  }

  public void setWait(boolean wait) {
    this.wait = wait;
  }
}
