package dev.orderly.chart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a chart archive ({@code .tgz}) the way Helm's loader reads it: regular files only, the
 * first path component (the chart's directory) dropped, and no path allowed to leave the target.
 *
 * <p>A small reader for the tar formats Go's {@code archive/tar} writes (ustar with its prefix
 * field, PAX {@code path} records and GNU long names) avoids adding a compression library for this
 * one use.
 */
final class ChartArchive {

  private static final int BLOCK = 512;
  // Helm refuses charts above 100 MiB decompressed; stay in the same range against gzip bombs.
  private static final long MAX_TOTAL_BYTES = 100L * 1024 * 1024;

  private ChartArchive() {}

  /** Extracts {@code archive} into the existing directory {@code target}. */
  static void extract(Path archive, Path target) {
    try (InputStream in =
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
      extract(in, target.toAbsolutePath().normalize(), archive.getFileName().toString());
    } catch (IOException e) {
      String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new ChartRenderException("cannot unpack chart archive " + archive + ": " + reason, e);
    }
  }

  private static void extract(InputStream in, Path target, String archiveName) throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    long total = 0;
    while (readBlock(in, header)) {
      if (isZeroBlock(header)) {
        return;
      }
      char type = (char) header[156];
      long size = parseSize(header);
      total += size;
      if (total > MAX_TOTAL_BYTES) {
        throw new IOException(archiveName + " is larger than " + MAX_TOTAL_BYTES + " bytes");
      }
      String name = longName != null ? longName : headerName(header);
      longName = null;
      switch (type) {
        case 'x' -> longName = paxPath(new String(readData(in, size), StandardCharsets.UTF_8));
        case 'L' -> longName = cString(readData(in, size), 0, (int) size);
        case '0', '\0', '7' -> writeEntry(target, name, readData(in, size), archiveName);
        default -> skipData(in, size); // directories, links, global PAX headers
      }
    }
  }

  private static void writeEntry(Path target, String name, byte[] data, String archiveName)
      throws IOException {
    String normalized = name.replace('\\', '/');
    int slash = normalized.indexOf('/');
    if (slash < 0) {
      return; // a file beside the chart directory; Helm's loader has no place for it either
    }
    String relative = normalized.substring(slash + 1);
    Path destination = target.resolve(relative).normalize();
    if (relative.isEmpty() || relative.startsWith("/") || !destination.startsWith(target)) {
      throw new IOException(archiveName + " contains a path outside the chart: " + name);
    }
    Files.createDirectories(destination.getParent());
    Files.write(destination, data);
  }

  private static String headerName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = cString(header, 257, 5).equals("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** Reads the {@code path} record of a PAX extended header ("{@code <len> path=<value>\n}"). */
  private static String paxPath(String records) {
    int pos = 0;
    while (pos < records.length()) {
      int space = records.indexOf(' ', pos);
      if (space < 0) {
        break;
      }
      int length = Integer.parseInt(records.substring(pos, space));
      String record = records.substring(space + 1, pos + length - 1);
      if (record.startsWith("path=")) {
        return record.substring("path=".length());
      }
      pos += length;
    }
    return null;
  }

  private static long parseSize(byte[] header) {
    if ((header[124] & 0x80) != 0) {
      // GNU base-256 encoding for sizes above 8 GiB; the low 8 bytes are enough for a long.
      long size = 0;
      for (int i = 128; i < 136; i++) {
        size = (size << 8) | (header[i] & 0xff);
      }
      return size;
    }
    String octal = cString(header, 124, 12).trim();
    return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    if (read == 0) {
      return false;
    }
    if (read < BLOCK) {
      throw new IOException("truncated tar header");
    }
    return true;
  }

  private static boolean isZeroBlock(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new IOException("truncated tar entry");
    }
    in.skipNBytes(padding(size));
    return data;
  }

  private static void skipData(InputStream in, long size) throws IOException {
    in.skipNBytes(size + padding(size));
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }
}
