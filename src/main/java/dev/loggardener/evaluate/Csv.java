package dev.loggardener.evaluate;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
final class Csv {
  private Csv() {}

  static List<List<String>> read(Reader in) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int c;
    while ((c = in.read()) != -1) {
      any = true;
      if (quoted) {
        if (c == '"') {
          in.mark(1);
          int next = in.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (next == -1) {
              break;
            }
            in.reset();
          }
        } else {
          field.append((char) c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        row.add(stripCr(field));
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        any = false;
      } else {
        field.append((char) c);
      }
    }
    if (any || field.length() > 0 || !row.isEmpty()) {
      row.add(stripCr(field));
      rows.add(row);
    }
    return rows;
  }

  private static String stripCr(StringBuilder f) {
    int n = f.length();
    return n > 0 && f.charAt(n - 1) == '\r' ? f.substring(0, n - 1) : f.toString();
  }
}
