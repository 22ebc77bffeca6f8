package dev.orderly.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.cli.Arguments;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Arguments} parses options as {@code orderly run} and {@code orderly plan} read them. */
class ArgumentsTest {

  @Test
  void leaderElectionFalseWithAnEqualsSignTurnsElectionOff() {
    assertThat(leaderElection("run", "--leader-election=false")).isFalse();
  }

  @Test
  void leaderElectionFalseAsASeparateWordTurnsElectionOff() {
    assertThat(leaderElection("run", "--leader-election", "false")).isFalse();
  }

  @Test
  void leaderElectionIsOnWhenGivenAloneOrNotAtAll() {
    assertThat(leaderElection("run", "--leader-election")).isTrue();
    assertThat(leaderElection("run", "--leader-election", "--namespaces", "a")).isTrue();
    assertThat(leaderElection("run")).isTrue();
  }

  @Test
  void theLastValueWinsAndEveryValueIsKeptInOrder() {
    Arguments args = Arguments.parse(new String[] {"--set", "a=1", "--set=b=2", "--set", "c=3"});

    assertThat(args.value("set")).hasValue("c=3");
    assertThat(args.values("set")).containsExactly("a=1", "b=2", "c=3");
    assertThat(args.values("values")).isEmpty();
    assertThat(args.value("values")).isEqualTo(Optional.empty());
  }

  @Test
  void positionalWordsAndShortOptionsAreKeptApart() {
    Arguments args = Arguments.parse(new String[] {"plan", "charts/x", "-o", "json", "--strict"});

    assertThat(args.positional()).isEqualTo(List.of("plan", "charts/x"));
    assertThat(args.value("o")).hasValue("json");
    assertThat(args.flag("strict")).isTrue();
    assertThat(args.flag("namespaces")).isFalse();
  }

  @Test
  void numbersAreCheckedWithTheOptionNamedInTheMessage() {
    Arguments args =
        Arguments.parse(
            new String[] {"--metrics-port=0", "--helm-threads=0", "--reconcile-threads=x"});

    assertThat(args.nonNegativeInt("metrics-port", 8080)).isZero();
    assertThat(args.nonNegativeInt("not-given", 8080)).isEqualTo(8080);
    assertThat(args.positiveInt("not-given", 4)).isEqualTo(4);
    assertThatThrownBy(() -> args.positiveInt("helm-threads", 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--helm-threads needs a positive whole number, not 0");
    assertThatThrownBy(() -> args.positiveInt("reconcile-threads", 10))
        .hasMessage("--reconcile-threads needs a positive whole number, not x");
  }

  @Test
  void leaderElectionTakesOnlyTrueOrFalse() {
    assertThatThrownBy(() -> leaderElection("run", "--leader-election=yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--leader-election takes true or false, not 'yes'");
  }

  @Test
  void anUnknownOptionIsNamedAsTyped() {
    Arguments args = Arguments.parse(new String[] {"--namespace", "a", "-x"});

    assertThatThrownBy(() -> args.requireKnown("run", Set.of("namespace")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option -x (see orderly run --help)");
  }

  /** What RunCommand decides from the arguments. */
  private static boolean leaderElection(String... words) {
    return Arguments.parse(words).bool("leader-election", true);
  }
}
