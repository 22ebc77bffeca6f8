package dev.orderly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --set} arguments split and unescaped as Helm's strvals does. */
class SetArgumentTest {

  /** The pairs helm-java gets for the given {@code --set} arguments, in order. */
  private static Map<String, String> pairs(String... arguments) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String argument : arguments) {
      SetArgument.apply(SetArgument.parse(argument), values);
    }
    return values;
  }

  @Test
  void commasSeparateAssignments() {
    assertThat(pairs("a=1,b=2,c.d=x"))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c.d", "x"));
  }

  @Test
  void anEscapedCommaOrBackslashIsPartOfTheValue() {
    assertThat(pairs("hosts=a\\,b,path=C:\\\\dir,eq=x=y"))
        .containsExactly(
            Map.entry("hosts", "a,b"), Map.entry("path", "C:\\dir"), Map.entry("eq", "x=y"));
  }

  @Test
  void keysKeepTheirEscapesForHelmToRead() {
    assertThat(pairs("annotations.helm\\.sh/hook=pre-delete,a\\=b=1"))
        .containsExactly(
            Map.entry("annotations.helm\\.sh/hook", "pre-delete"), Map.entry("a\\=b", "1"));
  }

  @Test
  void bracesMakeAListOfIndexedItems() {
    assertThat(pairs("names={a,b\\,c},n=1,one={x}"))
        .containsExactly(
            Map.entry("names[0]", "a"),
            Map.entry("names[1]", "b,c"),
            Map.entry("n", "1"),
            Map.entry("one[0]", "x"));
  }

  @Test
  void emptyValuesStayEmpty() {
    assertThat(pairs("a=,b=")).containsExactly(Map.entry("a", ""), Map.entry("b", ""));
  }

  @Test
  void aLaterAssignmentReplacesWhatAnEarlierOneSetAtUnderOrAboveItsKey() {
    assertThat(pairs("a.b=1,a.c=2", "a=3")).containsExactly(Map.entry("a", "3"));
    assertThat(pairs("a=3", "a.b=1")).containsExactly(Map.entry("a.b", "1"));
    assertThat(pairs("l={x,y,z}", "l={w}")).containsExactly(Map.entry("l[0]", "w"));
    assertThat(pairs("a.b=1", "a.c=2", "a.b=3"))
        .containsExactly(Map.entry("a.c", "2"), Map.entry("a.b", "3"));
  }

  @Test
  void aListRecordsItsItems() {
    assertThat(SetArgument.parse("l={1,2}"))
        .containsExactly(new SetArgument.Assignment("l", List.of("1", "2"), true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "drain.enabled  | --set drain.enabled: key drain.enabled has no value",
        "a=1,b          | --set a=1,b: key b has no value",
        "a,b=1          | --set a,b=1: key a has no value",
        "=1             | --set =1: has a value without a key",
        "l={}           | l={} is an empty list, which helm-java cannot pass; use a values file",
        "l={a,b         | list l has no closing }",
        "l={a}b         | list l must end with } followed by , or nothing",
      })
  void mistakesAreNamed(String argument, String message) {
    assertThatThrownBy(() -> SetArgument.parse(argument.strip()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message.strip());
  }
}
