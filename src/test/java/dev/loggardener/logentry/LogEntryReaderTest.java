package dev.loggardener.logentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogEntryReaderTest {
  private static final String A =
      "{\"insertId\":\"a\",\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"one\"}";
  private static final String B =
      "{\"insertId\":\"b\",\"timestamp\":\"2025-09-14T22:00:01Z\",\"textPayload\":\"two\"}";

  record Row(long line, ParseResult result) {}

  private static List<Row> read(byte[] input) throws IOException {
    List<Row> rows = new ArrayList<>();
    new LogEntryReader(new LogEntryParser())
        .read(new ByteArrayInputStream(input), (line, r) -> rows.add(new Row(line, r)));
    return rows;
  }

  private static List<Row> read(String input) throws IOException {
    return read(input.getBytes(StandardCharsets.UTF_8));
  }

  private static String insertId(Row r) {
    return assertInstanceOf(ParseResult.Parsed.class, r.result()).entry().insertId();
  }

  private static DeadLetter.Reason reason(Row r) {
    return assertInstanceOf(ParseResult.Dead.class, r.result()).deadLetter().reason();
  }

  @Test
  void jsonLinesWithCrLfAndNoFinalNewline() throws IOException {
    List<Row> rows = read(A + "\r\n" + B);
    assertEquals(2, rows.size());
    assertEquals("a", insertId(rows.get(0)));
    assertEquals(2, rows.get(1).line());
    assertEquals("b", insertId(rows.get(1)));
  }

  @Test
  void blankLineInTheMiddleIsADeadLetterWithItsLineNumber() throws IOException {
    List<Row> rows = read(A + "\n\n" + B + "\n");
    assertEquals(3, rows.size());
    assertEquals(2, rows.get(1).line());
    assertEquals(DeadLetter.Reason.EMPTY_LINE, reason(rows.get(1)));
  }

  @Test
  void byteOrderMarkIsIgnored() throws IOException {
    List<Row> rows = read("\uFEFF" + A + "\n");
    assertEquals("a", insertId(rows.get(0)));
  }

  @Test
  void oversizeLineIsReportedWithoutHoldingAllOfIt() throws IOException {
    String big =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"" + "z".repeat(400_000) + "\"}";
    List<Row> rows = read(A + "\n" + big + "\n" + B + "\n");
    assertEquals(3, rows.size());
    DeadLetter d = ((ParseResult.Dead) rows.get(1).result()).deadLetter();
    assertEquals(DeadLetter.Reason.TOO_LARGE, d.reason());
    assertEquals(String.valueOf(big.length()), d.detail().split(" ")[0]);
    assertEquals("b", insertId(rows.get(2)));
  }

  @Test
  void gcloudJsonArrayIsStreamedWithLineNumbers() throws IOException {
    String gcloud = "[\n  " + A + ",\n  null,\n  42,\n  " + B + "\n]\n";
    List<Row> rows = read(gcloud);
    assertEquals(4, rows.size());
    assertEquals("a", insertId(rows.get(0)));
    assertEquals(2, rows.get(0).line());
    assertEquals(DeadLetter.Reason.JSON_NULL, reason(rows.get(1)));
    assertEquals(DeadLetter.Reason.NOT_AN_OBJECT, reason(rows.get(2)));
    assertEquals("b", insertId(rows.get(3)));
    assertEquals(5, rows.get(3).line());
  }

  @Test
  void prettyPrintedArrayElementsAreOneEntryEach() throws IOException {
    String pretty =
        "[\n  {\n    \"insertId\": \"p\",\n    \"timestamp\": \"2025-09-14T22:00:00Z\",\n"
            + "    \"textPayload\": \"x\"\n  }\n]";
    List<Row> rows = read(pretty);
    assertEquals(1, rows.size());
    assertEquals("p", insertId(rows.get(0)));
  }

  @Test
  void truncatedArrayReportsTheRestAsUnread() throws IOException {
    List<Row> rows = read("[\n" + A + ",\n{\"timestamp\":\"2025-09-14T22:00:0");
    assertEquals(2, rows.size());
    assertEquals("a", insertId(rows.get(0)));
    assertEquals(DeadLetter.Reason.TRUNCATED_JSON, reason(rows.get(1)));
  }

  @Test
  void invalidUtf8InsideAnArrayIsNamed() throws IOException {
    byte[] ok = ("[" + A + "," + B + "]").getBytes(StandardCharsets.UTF_8);
    int at = new String(ok, StandardCharsets.UTF_8).indexOf("two");
    ok[at] = (byte) 0xFF;
    List<Row> rows = read(ok);
    assertEquals("a", insertId(rows.get(0)));
    assertEquals(DeadLetter.Reason.INVALID_UTF8, reason(rows.get(rows.size() - 1)));
  }

  @Test
  void emptyInputGivesNothing() throws IOException {
    assertEquals(0, read("").size());
  }
}
