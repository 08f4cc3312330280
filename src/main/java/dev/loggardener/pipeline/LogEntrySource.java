package dev.loggardener.pipeline;

import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.LineBuffer;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.LogEntryReader;
import dev.loggardener.logentry.ParseResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider;

/**
 * Files of log entries as a bounded source, the way TextIO reads text: a JSON Lines file splits at
 * byte offsets (a line belongs to the range it starts in), so runners read it in parallel and in
 * bounded bundles. A JSON array file (gcloud's format) is not splittable and is read whole. A
 * problem that stops an array file arrives as a record marked with {@link #READ_ERROR}, which
 * ParseEntries turns into a dead letter.
 *
 * <p>Each element is a batch of consecutive records (at most {@link #BATCH_RECORDS} of them, or
 * {@link #BATCH_BYTES}), not one record: a runner's cost per element (the DirectRunner's is several
 * microseconds in every step) is then paid once per batch. A batch never crosses its range's end,
 * and the reader does not split dynamically, so every line is read by exactly one range.
 */
final class LogEntrySource extends FileBasedSource<List<RawRecord>> {
  private static final long serialVersionUID = 1L;

  /** Attribute marking a record that stands for a read error; its value is the reason code. */
  static final String READ_ERROR = "log-gardener-read-error";

  static final String DETAIL = "log-gardener-read-error-detail";

  static final long MIN_BUNDLE_BYTES = 1 << 20;

  /**
   * Records per batch, at most. With entries of a few hundred bytes, {@link #BATCH_BYTES} ends a
   * batch first. The DirectRunner reads a few batches per round and copies each stateful step's
   * touched state once per round, so fewer, larger rounds cost less where the state is large: at
   * 4,000, 1M entries of 20,000 problems took 40-42 s and 200,000 distinct ones 35-39 s; at 16,000,
   * 29-34 s and 25-28 s (BENCHMARKS.md, "Larger batches and huge pages").
   */
  static final int BATCH_RECORDS = 16000;

  /** Bytes of record bodies per batch, at most (a single larger record is a batch of its own). */
  static final long BATCH_BYTES = 4 << 20;

  LogEntrySource(String glob) {
    super(
        ValueProvider.StaticValueProvider.of(glob), EmptyMatchTreatment.DISALLOW, MIN_BUNDLE_BYTES);
  }

  private LogEntrySource(MatchResult.Metadata file, long start, long end) {
    super(file, MIN_BUNDLE_BYTES, start, end);
  }

  /**
   * Splits are at most this large, whatever the runner asks for: a runner may hold a split's
   * records in memory at once (the DirectRunner does), so this bounds memory by it, not by the
   * file.
   */
  static final long MAX_SPLIT_BYTES = 8L << 20;

  /** The source for a glob, split at most {@link #MAX_SPLIT_BYTES} at a time. */
  static org.apache.beam.sdk.io.BoundedSource<List<RawRecord>> of(String glob) {
    return new SmallSplits(new LogEntrySource(glob));
  }

  /** Caps the split size a runner asks for (FileBasedSource.split is final). */
  static final class SmallSplits extends org.apache.beam.sdk.io.BoundedSource<List<RawRecord>> {
    private static final long serialVersionUID = 1L;
    private final LogEntrySource source;

    SmallSplits(LogEntrySource source) {
      this.source = source;
    }

    @Override
    public java.util.List<? extends org.apache.beam.sdk.io.BoundedSource<List<RawRecord>>> split(
        long desiredBundleSizeBytes, PipelineOptions options) throws Exception {
      return source.split(Math.min(desiredBundleSizeBytes, MAX_SPLIT_BYTES), options);
    }

    @Override
    public long getEstimatedSizeBytes(PipelineOptions options) throws Exception {
      return source.getEstimatedSizeBytes(options);
    }

    @Override
    public BoundedReader<List<RawRecord>> createReader(PipelineOptions options) throws IOException {
      return source.createReader(options);
    }

    @Override
    public void validate() {
      source.validate();
    }

    @Override
    public Coder<List<RawRecord>> getOutputCoder() {
      return source.getOutputCoder();
    }

    @Override
    public void populateDisplayData(org.apache.beam.sdk.transforms.display.DisplayData.Builder b) {
      source.populateDisplayData(b);
    }
  }

  /** The rest of this range from a line's start offset (see {@link PacedFileSource}). */
  LogEntrySource from(long offset) {
    return new LogEntrySource(getSingleFileMetadata(), offset, getEndOffset());
  }

  /**
   * Where a reader of this source would continue: the offset of its next line, or -1 for a file it
   * reads whole, which can only be continued by counting batches.
   */
  static long resumeOffset(BoundedReader<List<RawRecord>> reader) {
    return reader instanceof Reader r && r.whole == null ? r.position : -1;
  }

  @Override
  protected FileBasedSource<List<RawRecord>> createForSubrangeOfFile(
      MatchResult.Metadata file, long start, long end) {
    return new LogEntrySource(file, start, end);
  }

  @Override
  protected FileBasedReader<List<RawRecord>> createSingleFileReader(PipelineOptions options) {
    return new Reader(this);
  }

  @Override
  protected boolean isSplittable() throws Exception {
    if (getMode() == Mode.FILEPATTERN) {
      return true;
    }
    MatchResult.Metadata file = getSingleFileMetadata();
    if (!file.isReadSeekEfficient() || isArray(file)) {
      return false;
    }
    return true;
  }

  private static boolean isArray(MatchResult.Metadata file) throws IOException {
    try (InputStream in =
        new BufferedInputStream(Channels.newInputStream(FileSystems.open(file.resourceId())))) {
      return LineBuffer.startsJsonArray(in);
    }
  }

  @Override
  public Coder<List<RawRecord>> getOutputCoder() {
    return ListCoder.of(Coders.RAW_RECORD);
  }

  private static final class Reader extends FileBasedReader<List<RawRecord>> {
    private final String path;
    private InputStream in;
    private long position;
    private long currentOffset;
    private List<RawRecord> current;
    private boolean splitPoint = true;
    private Iterator<RawRecord> whole;
    private final LineBuffer line = new LineBuffer(LogEntryParser.MAX_ENTRY_BYTES + 1);

    Reader(LogEntrySource source) {
      super(source);
      this.path = source.getSingleFileMetadata().resourceId().toString();
    }

    @Override
    protected void startReading(ReadableByteChannel channel) throws IOException {
      LogEntrySource source = (LogEntrySource) getCurrentSource();
      long start = source.getStartOffset();
      if (!(channel instanceof SeekableByteChannel) || isArray(source.getSingleFileMetadata())) {
        // Read whole: a JSON array (or a stream that cannot seek).
        List<RawRecord> records = new ArrayList<>();
        new LogEntryReader(new LogEntryParser())
            .readRecords(
                Channels.newInputStream(channel),
                new LogEntryReader.RecordSink() {
                  @Override
                  public void record(long lineNumber, byte[] bytes, long size) {
                    records.add(
                        new RawRecord(bytes, size, origin(path, "line", lineNumber), false));
                  }

                  @Override
                  public void stopped(long lineNumber, ParseResult.Dead dead) {
                    DeadLetter d = dead.deadLetter();
                    Map<String, String> attributes =
                        new HashMap<>(origin(path, "line", lineNumber));
                    attributes.put(READ_ERROR, d.reason().name());
                    attributes.put(DETAIL, d.detail());
                    records.add(new RawRecord(new byte[0], 0, attributes, false));
                  }
                });
        whole = records.iterator();
        return;
      }
      SeekableByteChannel seekable = (SeekableByteChannel) channel;
      position = start;
      if (start > 0) {
        seekable.position(start - 1);
        position = start - 1;
      }
      in = Channels.newInputStream(seekable);
      if (start > 0) {
        // The line holding byte start-1 belongs to the range before this one.
        line.clear();
        readLine();
        line.clear();
      }
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      if (whole != null) {
        if (!whole.hasNext()) {
          return false;
        }
        splitPoint = current == null;
        List<RawRecord> batch = new ArrayList<>();
        long bytes = 0;
        while (whole.hasNext() && batch.size() < BATCH_RECORDS && bytes < BATCH_BYTES) {
          RawRecord r = whole.next();
          batch.add(r);
          bytes += r.body().length;
        }
        current = batch;
        currentOffset = 0;
        return true;
      }
      // The range tracker checks the batch's first line against the range; the loop stops before
      // any later line that starts at or past the range's end, which the next range reads.
      long end = getCurrentSource().getEndOffset();
      List<RawRecord> batch = new ArrayList<>();
      long bytes = 0;
      currentOffset = position;
      while (batch.size() < BATCH_RECORDS && bytes < BATCH_BYTES) {
        long start = position;
        if (!batch.isEmpty() && start >= end) {
          break;
        }
        line.clear();
        if (!readLine()) {
          break;
        }
        line.stripCarriageReturn();
        byte[] body = line.take(start == 0);
        batch.add(new RawRecord(body, line.fullSize(), origin(path, "offset", start), false));
        bytes += body.length;
      }
      current = batch;
      return !batch.isEmpty();
    }

    @Override
    public boolean allowsDynamicSplitting() {
      // A batch claims only its first line's offset, so a split inside it would read lines twice.
      return false;
    }

    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufEnd;

    /** Reads up to and including the next newline into {@link #line}; false at the end. */
    private boolean readLine() throws IOException {
      boolean any = false;
      while (true) {
        if (bufPos == bufEnd) {
          bufEnd = in.read(buf, 0, buf.length);
          bufPos = 0;
          if (bufEnd <= 0) {
            bufEnd = 0;
            return any;
          }
        }
        any = true;
        int from = bufPos;
        int nl = -1;
        for (int i = from; i < bufEnd; i++) {
          if (buf[i] == '\n') {
            nl = i;
            break;
          }
        }
        int end = nl < 0 ? bufEnd : nl;
        line.add(buf, from, end - from);
        int consumed = (nl < 0 ? bufEnd : nl + 1) - from;
        position += consumed;
        bufPos = from + consumed;
        if (nl >= 0) {
          return true;
        }
      }
    }

    @Override
    protected boolean isAtSplitPoint() {
      return whole == null || splitPoint;
    }

    @Override
    protected long getCurrentOffset() {
      return currentOffset;
    }

    @Override
    public List<RawRecord> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }
  }

  static Map<String, String> origin(String path, String unit, long at) {
    return Map.of("source_file", path, "source_" + unit, Long.toString(at));
  }
}
