package dev.orderly.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar variants Go's archive/tar writes; real Helm archives are covered in HelmRenderingTest.
 */
class ChartArchiveTest {

  @TempDir Path dir;

  @Test
  void extractsRegularFilesWithoutTheChartDirectory() throws IOException {
    String deep = "app/templates/" + "d".repeat(90) + "/job.yaml"; // > 100 bytes: ustar prefix
    Path archive =
        tgz(
            entry("app/", '5', ""),
            entry("app/Chart.yaml", '0', "name: app\n"),
            entry(deep, '0', "kind: Job\n"),
            entry("app/link", '2', ""));

    Path target = extract(archive);

    assertThat(target.resolve("Chart.yaml")).hasContent("name: app");
    assertThat(target.resolve(deep.substring("app/".length()))).hasContent("kind: Job");
    assertThat(target.resolve("link")).doesNotExist();
  }

  @Test
  void readsPaxAndGnuLongNames() throws IOException {
    String paxName = "app/templates/" + "p".repeat(150) + ".yaml";
    String gnuName = "app/templates/" + "g".repeat(150) + ".yaml";
    Path archive =
        tgz(
            entry("app/PaxHeaders/x", 'x', paxRecord("path", paxName)),
            entry("ignored-by-pax", '0', "pax\n"),
            entry("././@LongLink", 'L', gnuName + "\0"),
            entry("ignored-by-gnu", '0', "gnu\n"));

    Path target = extract(archive);

    assertThat(target.resolve(paxName.substring(4))).hasContent("pax");
    assertThat(target.resolve(gnuName.substring(4))).hasContent("gnu");
  }

  @Test
  void refusesPathsLeavingTheChart() throws IOException {
    Path archive = tgz(entry("app/../../evil.yaml", '0', "x\n"));

    assertThatThrownBy(() -> extract(archive))
        .isInstanceOf(ChartRenderException.class)
        .hasMessageContaining("outside the chart");
    assertThat(dir.resolve("evil.yaml")).doesNotExist();
  }

  private Path extract(Path archive) throws IOException {
    Path target = Files.createDirectories(dir.resolve("out/chart"));
    ChartArchive.extract(archive, target);
    return target;
  }

  private Path tgz(byte[]... entries) throws IOException {
    Path archive = dir.resolve("app-1.0.0.tgz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
      for (byte[] entry : entries) {
        out.write(entry);
      }
      out.write(new byte[1024]); // end-of-archive marker
    }
    return archive;
  }

  private static String paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.length();
    length += String.valueOf(length + String.valueOf(length).length()).length();
    return length + body;
  }

  /** One ustar header plus padded data; names over 100 bytes use the prefix field. */
  private static byte[] entry(String name, char type, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[512];
    String prefix = "";
    String shortName = name;
    if (name.length() > 100 && type != 'L') {
      int split = name.lastIndexOf('/', 155);
      prefix = name.substring(0, split);
      shortName = name.substring(split + 1);
    }
    put(header, 0, shortName.length() > 100 ? shortName.substring(0, 100) : shortName);
    put(header, 100, "0000644");
    put(header, 124, String.format("%011o", data.length));
    put(header, 136, "00000000000");
    header[156] = (byte) type;
    put(header, 257, "ustar\u000000");
    put(header, 345, prefix);
    put(header, 148, "        ");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o\0 ", sum));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
