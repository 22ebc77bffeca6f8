package dev.orderly.cli;

import java.util.List;

/** Left-aligned text columns separated by two spaces; widths are fixed up front for a group. */
final class TextColumns {

  private final int[] widths;

  private TextColumns(int[] widths) {
    this.widths = widths;
  }

  /** Columns wide enough for every row given; rows may differ in length. */
  static TextColumns fitting(List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    return new TextColumns(widths);
  }

  /** The row, each cell padded to its column, with no trailing spaces. */
  String line(String indent, List<String> row) {
    StringBuilder line = new StringBuilder(indent);
    for (int i = 0; i < row.size(); i++) {
      String cell = row.get(i);
      line.append(cell);
      if (i < row.size() - 1) {
        line.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    return line.toString().stripTrailing();
  }
}
