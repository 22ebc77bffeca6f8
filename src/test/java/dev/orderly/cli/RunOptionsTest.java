package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lockdown flags of {@code orderly run}. */
class RunOptionsTest {
  @Test
  void withoutFlagsReleasesActAsTheOperatorAndMayNameAnyNamespace() {
    RunOptions options = RunOptions.parse(Arguments.parse(new String[] {}));
    assertThat(options.defaultServiceAccount()).isNull();
    assertThat(options.noCrossNamespaceRefs()).isFalse();
  }

  @Test
  void theLockdownFlagsAreRead() {
    RunOptions options =
        RunOptions.parse(
            Arguments.parse(
                new String[] {
                  "--default-service-account", "default", "--no-cross-namespace-refs"
                }));
    assertThat(options.defaultServiceAccount()).isEqualTo("default");
    assertThat(options.noCrossNamespaceRefs()).isTrue();
    assertThat(
            RunOptions.parse(Arguments.parse(new String[] {"--no-cross-namespace-refs=false"}))
                .noCrossNamespaceRefs())
        .isFalse();
  }

  @Test
  void aDefaultServiceAccountThatIsNoNameIsRefusedNamingTheOption() {
    assertThatThrownBy(
            () ->
                RunOptions.parse(
                    Arguments.parse(new String[] {"--default-service-account=system:masters"})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--default-service-account takes a ServiceAccount name");
    assertThatThrownBy(
            () -> RunOptions.parse(Arguments.parse(new String[] {"--default-service-account"})))
        .hasMessage("--default-service-account needs a value");
  }
}
