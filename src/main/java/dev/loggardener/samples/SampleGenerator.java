package dev.loggardener.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loggardener.logentry.DeadLetter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes realistic Cloud Logging entries, deterministically: the same settings give the same bytes.
 * Entries come from error families (the seed worklog's five shapes, then a web backend, an auth
 * service, a worker, audit logs, and as many synthetic families as asked for), mixed with bad
 * lines, redelivered duplicates and late, out-of-order timestamps.
 */
public final class SampleGenerator {

  /**
   * @param entries lines to write, bad ones and duplicates included
   * @param families error families to draw from (the first ones are the built-in shapes)
   * @param jsonArray write one JSON array as {@code gcloud logging read --format=json} does,
   *     instead of JSON Lines; only bad inputs an array can hold are written then
   */
  public record Settings(
      long entries,
      int families,
      double badRatio,
      double duplicateRatio,
      double lateRatio,
      long seed,
      Instant start,
      Duration span,
      boolean jsonArray) {

    public static Settings defaults() {
      return new Settings(
          3000,
          Families.BUILT_IN,
          0.01,
          0.02,
          0.05,
          20250914L,
          Instant.parse("2025-09-14T22:00:00Z"),
          Duration.ofHours(2),
          false);
    }

    public Settings {
      if (entries < 0 || families < 1) {
        throw new IllegalArgumentException("entries must be >= 0 and families >= 1");
      }
      for (double r : new double[] {badRatio, duplicateRatio, lateRatio}) {
        if (r < 0 || r > 1) {
          throw new IllegalArgumentException("ratios are between 0 and 1");
        }
      }
      if (badRatio + duplicateRatio > 1) {
        throw new IllegalArgumentException("badRatio + duplicateRatio must not exceed 1");
      }
    }
  }

  /** What a generated line is, so tests know the truth. */
  public enum Kind {
    ENTRY,
    DUPLICATE,
    BAD
  }

  /**
   * One generated line.
   *
   * @param family the family of an entry or duplicate; -1 for a bad line
   * @param badReason the dead-letter reason a bad line must get; null otherwise
   */
  public record Line(byte[] bytes, Kind kind, int family, DeadLetter.Reason badReason) {}

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static final DeadLetter.Reason[] LINE_BAD_KINDS = {
    DeadLetter.Reason.NOT_JSON,
    DeadLetter.Reason.TRUNCATED_JSON,
    DeadLetter.Reason.JSON_NULL,
    DeadLetter.Reason.EMPTY_LINE,
    DeadLetter.Reason.MISSING_TIMESTAMP,
    DeadLetter.Reason.INVALID_UTF8,
    DeadLetter.Reason.NOT_AN_OBJECT,
    DeadLetter.Reason.BAD_TIMESTAMP,
    DeadLetter.Reason.BAD_SEVERITY
  };

  private static final DeadLetter.Reason[] ARRAY_BAD_KINDS = {
    DeadLetter.Reason.JSON_NULL,
    DeadLetter.Reason.NOT_AN_OBJECT,
    DeadLetter.Reason.MISSING_TIMESTAMP,
    DeadLetter.Reason.BAD_TIMESTAMP
  };

  /** One bad line in this many is an oversize entry (they are large; keep them rare). */
  private static final int TOO_LARGE_EVERY = 200;

  public void generate(Settings s, Consumer<Line> out) {
    SplittableRandom rnd = new SplittableRandom(s.seed());
    Families families = new Families(s.families());
    double[] cumulative = zipf(s.families());
    ArrayDeque<Line> recent = new ArrayDeque<>();
    long bad = 0;
    for (long i = 0; i < s.entries(); i++) {
      Instant nominal =
          s.start().plusNanos((long) ((double) s.span().toNanos() * i / Math.max(1, s.entries())));
      double roll = rnd.nextDouble();
      if (roll < s.badRatio()) {
        out.accept(badLine(s, rnd, nominal, bad++, families));
        continue;
      }
      if (roll < s.badRatio() + s.duplicateRatio() && !recent.isEmpty()) {
        // A redelivery: the very same entry, same insertId, a little later in the stream.
        Line original = pick(recent, rnd);
        out.accept(new Line(original.bytes(), Kind.DUPLICATE, original.family(), null));
        continue;
      }
      int family = draw(cumulative, rnd);
      Instant ts = nominal;
      if (rnd.nextDouble() < s.lateRatio()) {
        ts = nominal.minus(Duration.ofSeconds(300 + rnd.nextInt(5100)));
      }
      ObjectNode entry = families.entry(family, new Families.Ctx(rnd, ts, nominal));
      Line line = new Line(bytes(entry), Kind.ENTRY, family, null);
      out.accept(line);
      recent.addLast(line);
      if (recent.size() > 100) {
        recent.removeFirst();
      }
    }
  }

  /** Writes the lines to a stream: JSON Lines, or one JSON array. */
  public void write(Settings s, OutputStream os) {
    try {
      if (!s.jsonArray()) {
        byte[] nl = {'\n'};
        generate(
            s,
            l -> {
              try {
                os.write(l.bytes());
                os.write(nl);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
      } else {
        os.write("[\n".getBytes(StandardCharsets.UTF_8));
        boolean[] first = {true};
        generate(
            s,
            l -> {
              try {
                if (!first[0]) {
                  os.write(",\n".getBytes(StandardCharsets.UTF_8));
                }
                first[0] = false;
                os.write(l.bytes());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
        os.write("\n]\n".getBytes(StandardCharsets.UTF_8));
      }
      os.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Line badLine(
      Settings s, SplittableRandom rnd, Instant ts, long index, Families families) {
    DeadLetter.Reason[] kinds = s.jsonArray() ? ARRAY_BAD_KINDS : LINE_BAD_KINDS;
    DeadLetter.Reason reason = kinds[(int) (index % kinds.length)];
    if (!s.jsonArray() && index % TOO_LARGE_EVERY == TOO_LARGE_EVERY - 1) {
      reason = DeadLetter.Reason.TOO_LARGE;
    }
    ObjectNode valid = families.entry(0, new Families.Ctx(rnd, ts, ts));
    byte[] b;
    switch (reason) {
      case NOT_JSON:
        b = ascii(ts + " ERROR worker crashed: exit status 137 (plain text, not a LogEntry)");
        break;
      case TRUNCATED_JSON:
        byte[] whole = bytes(valid);
        b = Arrays.copyOf(whole, whole.length / 2);
        break;
      case JSON_NULL:
        b = ascii("null");
        break;
      case EMPTY_LINE:
        b = new byte[0];
        break;
      case MISSING_TIMESTAMP:
        valid.remove("timestamp");
        valid.remove("receiveTimestamp");
        ((ObjectNode) valid.get("jsonPayload")).remove("timestamp");
        b = bytes(valid);
        break;
      case INVALID_UTF8:
        {
          byte[] ok = bytes(valid);
          int at = indexOf(ok, ascii("Message loop error"));
          b = new byte[ok.length + 2];
          System.arraycopy(ok, 0, b, 0, at);
          b[at] = (byte) 0xC3;
          b[at + 1] = (byte) 0x28; // a lead byte without its continuation
          System.arraycopy(ok, at, b, at + 2, ok.length - at);
          break;
        }
      case NOT_AN_OBJECT:
        b = ascii("[\"ERROR\", \"an array is not a LogEntry\"]");
        break;
      case BAD_TIMESTAMP:
        valid.put("timestamp", "yesterday at noon");
        b = bytes(valid);
        break;
      case BAD_SEVERITY:
        valid.put("severity", "SUPER_BAD");
        b = bytes(valid);
        break;
      case TOO_LARGE:
        ((ObjectNode) valid.get("jsonPayload")).put("message", "x".repeat(300 * 1024));
        b = bytes(valid);
        break;
      default:
        throw new IllegalStateException(reason.toString());
    }
    return new Line(b, Kind.BAD, -1, reason);
  }

  /** Cumulative weights of a Zipf-like law: a few loud families, a long quiet tail. */
  private static double[] zipf(int n) {
    double[] c = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 2, 0.8);
      c[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      c[i] /= sum;
    }
    return c;
  }

  private static int draw(double[] cumulative, SplittableRandom rnd) {
    int i = Arrays.binarySearch(cumulative, rnd.nextDouble());
    return Math.min(i < 0 ? -i - 1 : i, cumulative.length - 1);
  }

  private static Line pick(ArrayDeque<Line> recent, SplittableRandom rnd) {
    List<Line> l = new ArrayList<>(recent);
    return l.get(rnd.nextInt(l.size()));
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return 0;
  }
}
