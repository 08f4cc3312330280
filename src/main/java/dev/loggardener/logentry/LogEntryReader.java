package dev.loggardener.logentry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads a file of log entries, streaming: JSON Lines (one entry per line) or a JSON array as {@code
 * gcloud logging read --format=json} prints it. The first non-blank character decides. Every entry,
 * good or bad, reaches the sink with the line it starts on.
 */
public final class LogEntryReader {

  /** Receives each input in file order. */
  @FunctionalInterface
  public interface Sink {
    void accept(long lineNumber, ParseResult result);
  }

  /**
   * Receives each input unparsed, in file order: the pipeline parses in a later step. A record
   * larger than {@link LogEntryParser#MAX_ENTRY_BYTES} arrives as a prefix with its full size; a
   * file that cannot be read on arrives as a dead letter.
   */
  public interface RecordSink {
    void record(long lineNumber, byte[] bytes, long size);

    void stopped(long lineNumber, ParseResult.Dead deadLetter);
  }

  private static final ObjectMapper MAPPER = Json.streamingMapper();
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private final LogEntryParser parser;

  public LogEntryReader(LogEntryParser parser) {
    this.parser = parser;
  }

  public void read(InputStream input, Sink sink) throws IOException {
    readRecords(
        input,
        new RecordSink() {
          @Override
          public void record(long lineNumber, byte[] bytes, long size) {
            sink.accept(lineNumber, parse(parser, bytes, size, Map.of()));
          }

          @Override
          public void stopped(long lineNumber, ParseResult.Dead deadLetter) {
            sink.accept(lineNumber, deadLetter);
          }
        });
  }

  /** A record as {@link RecordSink} receives it, parsed. */
  public static ParseResult parse(
      LogEntryParser parser, byte[] bytes, long size, Map<String, String> attributes) {
    return size > LogEntryParser.MAX_ENTRY_BYTES
        ? parser.tooLarge(bytes, size, attributes)
        : parser.parse(bytes, attributes);
  }

  /** Every record of a file, unparsed. */
  public void readRecords(InputStream input, RecordSink sink) throws IOException {
    BufferedInputStream in = new BufferedInputStream(input, 1 << 16);
    in.mark(1 << 15);
    boolean array = LineBuffer.startsJsonArray(in);
    in.reset();
    if (array) {
      readArray(in, sink);
    } else {
      readLines(in, sink);
    }
  }

  private void readLines(InputStream in, RecordSink sink) throws IOException {
    LineBuffer line = new LineBuffer(LogEntryParser.MAX_ENTRY_BYTES + 1);
    byte[] chunk = new byte[1 << 16];
    long lineNumber = 1;
    boolean pending = false;
    int read;
    while ((read = in.read(chunk)) > 0) {
      int start = 0;
      for (int i = 0; i < read; i++) {
        if (chunk[i] == '\n') {
          line.add(chunk, start, i - start);
          emitLine(line, lineNumber++, sink);
          pending = false;
          start = i + 1;
        }
      }
      if (start < read) {
        line.add(chunk, start, read - start);
        pending = true;
      }
    }
    if (pending) {
      emitLine(line, lineNumber, sink);
    }
  }

  private static void emitLine(LineBuffer line, long lineNumber, RecordSink sink) {
    line.stripCarriageReturn();
    byte[] bytes = line.take(lineNumber == 1);
    sink.record(lineNumber, bytes, line.fullSize());
    line.clear();
  }

  private void readArray(InputStream in, RecordSink sink) throws IOException {
    JsonParser p = MAPPER.getFactory().createParser(in);
    long line = 1;
    try {
      p.nextToken(); // START_ARRAY
      while (true) {
        JsonToken t = p.nextToken();
        line = p.currentTokenLocation().getLineNr();
        if (t == JsonToken.END_ARRAY) {
          return;
        }
        if (t == null) {
          sink.stopped(line, stopped(DeadLetter.Reason.TRUNCATED_JSON, "array is not closed", ""));
          return;
        }
        long start = p.currentTokenLocation().getByteOffset();
        JsonNode node = p.readValueAsTree();
        long end = p.currentLocation().getByteOffset();
        byte[] raw = node == null ? NULL : MAPPER.writeValueAsBytes(node);
        sink.record(line, raw, Math.max(end - start, raw.length));
      }
    } catch (JsonEOFException e) {
      sink.stopped(line, stopped(DeadLetter.Reason.TRUNCATED_JSON, e.getOriginalMessage(), ""));
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage();
      DeadLetter.Reason reason =
          msg != null && msg.contains("UTF-8")
              ? DeadLetter.Reason.INVALID_UTF8
              : DeadLetter.Reason.NOT_JSON;
      long at = e.getLocation() == null ? line : e.getLocation().getLineNr();
      sink.stopped(at, stopped(reason, msg, ""));
    }
  }

  /** A JSON array file that cannot be read on: the rest of it is reported, not skipped quietly. */
  private ParseResult.Dead stopped(DeadLetter.Reason reason, String detail, String payload) {
    return parser.reject(
        reason, detail + "; the rest of the array file was not read", payload, Map.of());
  }
}
