package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each process has its own leader identity, so two processes on one host never both lead. */
class LeaderIdentityTest {

  @Test
  void aPodIsNamedByItsPodName() {
    String identity =
        LeaderIdentity.of(
            Map.of("POD_NAME", "orderly-7d9f-x2x4", "HOSTNAME", "node-1"), () -> "node-1", 1, "ab");

    assertThat(identity).isEqualTo("orderly-7d9f-x2x4");
  }

  @Test
  void outsideAPodTheHostNameGetsThePidAndARandomSuffix() {
    assertThat(LeaderIdentity.of(Map.of(), () -> "laptop", 4242, "9f3c"))
        .isEqualTo("laptop-4242-9f3c");
    assertThat(LeaderIdentity.of(Map.of("POD_NAME", " "), () -> "laptop", 4242, "9f3c"))
        .as("a blank POD_NAME")
        .isEqualTo("laptop-4242-9f3c");
  }

  @Test
  void twoProcessesOnOneHostDiffer() {
    String first = LeaderIdentity.of(Map.of(), () -> "laptop", 100, "0a1b");
    String second = LeaderIdentity.of(Map.of(), () -> "laptop", 101, "0a1b");
    // Two containers with the host's name both run as pid 1; only the suffix tells them apart.
    String firstContainer = LeaderIdentity.of(Map.of(), () -> "laptop", 1, "0a1b");
    String secondContainer = LeaderIdentity.of(Map.of(), () -> "laptop", 1, "77e2");

    assertThat(first).isNotEqualTo(second);
    assertThat(firstContainer).isNotEqualTo(secondContainer);
  }
}
