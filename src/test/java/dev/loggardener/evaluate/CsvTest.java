package dev.loggardener.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotedFieldsHoldCommasQuotesAndNewlines() throws IOException {
    String csv =
        "LineId,Content,EventTemplate\r\n"
            + "1,\"a, b\",\"say \"\"hi\"\"\"\r\n"
            + "2,\"two\nlines\",plain\n"
            + "3,,last";
    List<List<String>> rows = Csv.read(new StringReader(csv));
    assertEquals(4, rows.size());
    assertEquals(List.of("1", "a, b", "say \"hi\""), rows.get(1));
    assertEquals(List.of("2", "two\nlines", "plain"), rows.get(2));
    assertEquals(List.of("3", "", "last"), rows.get(3));
  }
}
