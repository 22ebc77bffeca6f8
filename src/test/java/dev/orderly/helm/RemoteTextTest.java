package dev.orderly.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RemoteTextTest {
  @Test
  void ansiEscapesAndControlCharactersAreRemoved() {
    String hostile = "\u001b[31mERROR\u001b[0m: go to\r\nhttp://evil\u0007 \u202eexe.txt\u0000!";

    assertThat(RemoteText.excerpt(hostile)).isEqualTo("ERROR: go to http://evil exe.txt !");
  }

  @Test
  void longTextIsCutToTwoHundredCharacters() {
    String excerpt = RemoteText.excerpt("x".repeat(10_000));

    assertThat(excerpt).hasSize(RemoteText.MAX_CHARS + 3).endsWith("...");
  }

  @Test
  void shortPrintableTextIsKeptAsItIs() {
    assertThat(RemoteText.excerpt("  index.yaml: mapping values are not allowed here "))
        .isEqualTo("index.yaml: mapping values are not allowed here");
    assertThat(RemoteText.excerpt(null)).isEqualTo("null");
  }
}
