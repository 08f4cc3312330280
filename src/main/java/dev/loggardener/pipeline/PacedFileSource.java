package dev.loggardener.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The files of {@code --input}, read as an unbounded source whose watermark stays at the beginning
 * of time until the last line is read: the same elements as {@link LogEntrySource}, and, as in
 * batch, nothing is ever late. This is for the DirectRunner, which has no backpressure: it reads
 * every split of a bounded source as soon as it can, so records pile up in memory in front of the
 * slower steps, a gigabyte per million entries. An unbounded source is read a few elements at a
 * time, and the DirectRunner reads again only once everything read before has gone through the
 * pipeline. Memory then follows a round of reading and the clusters, not the size of the input.
 *
 * <p>A checkpoint is the byte offset of the next line (or, for a file read whole, the number of
 * batches already read), so a reader restarted from one — the DirectRunner restarts readers on
 * purpose now and then — continues exactly where the last one stopped.
 */
final class PacedFileSource extends UnboundedSource<List<RawRecord>, PacedFileSource.Mark> {
  private static final long serialVersionUID = 1L;

  private final String glob;

  /** The part of the input this split reads; null before splitting. */
  private final LogEntrySource part;

  PacedFileSource(String glob) {
    this(glob, null);
  }

  private PacedFileSource(String glob, LogEntrySource part) {
    this.glob = glob;
    this.part = part;
  }

  /** Where a reader stopped. */
  record Mark(long nextOffset, long batchesRead) implements CheckpointMark, Serializable {
    @Override
    public void finalizeCheckpoint() {}
  }

  @Override
  public List<PacedFileSource> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    if (part != null) {
      return List.of(this);
    }
    LogEntrySource all = new LogEntrySource(glob);
    long size = all.getEstimatedSizeBytes(options);
    long per = Math.max(LogEntrySource.MIN_BUNDLE_BYTES, size / Math.max(1, desiredNumSplits));
    List<PacedFileSource> out = new ArrayList<>();
    for (FileBasedSource<List<RawRecord>> s : all.split(per, options)) {
      out.add(new PacedFileSource(glob, (LogEntrySource) s));
    }
    return out;
  }

  @Override
  public UnboundedReader<List<RawRecord>> createReader(PipelineOptions options, Mark mark)
      throws IOException {
    if (part == null) {
      // A runner that does not split reads everything through one reader.
      try {
        List<PacedFileSource> parts = split(1, options);
        if (parts.size() != 1) {
          throw new IllegalStateException("an unsplit source must be split before reading");
        }
        return parts.get(0).createReader(options, mark);
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    return new Reader(this, options, mark);
  }

  @Override
  public Coder<Mark> getCheckpointMarkCoder() {
    return Coders.PACED_MARK;
  }

  @Override
  public Coder<List<RawRecord>> getOutputCoder() {
    return Batches.RECORDS;
  }

  private static final class Reader extends UnboundedReader<List<RawRecord>> {
    private final PacedFileSource source;
    private final PipelineOptions options;
    private final Mark resumeFrom;
    private BoundedSource.BoundedReader<List<RawRecord>> reader;
    private List<RawRecord> current;
    private long batchesRead;
    private boolean done;

    Reader(PacedFileSource source, PipelineOptions options, Mark resumeFrom) {
      this.source = source;
      this.options = options;
      this.resumeFrom = resumeFrom;
    }

    @Override
    public boolean start() throws IOException {
      LogEntrySource part = source.part;
      if (resumeFrom != null) {
        batchesRead = resumeFrom.batchesRead();
        if (resumeFrom.nextOffset() >= part.getEndOffset()) {
          return took(false);
        }
        if (resumeFrom.nextOffset() >= 0) {
          part = part.from(resumeFrom.nextOffset());
        }
      }
      reader = part.createReader(options);
      boolean any = reader.start();
      if (resumeFrom != null && resumeFrom.nextOffset() < 0) {
        for (long i = 0; any && i < resumeFrom.batchesRead(); i++) {
          any = reader.advance();
        }
      }
      return took(any);
    }

    @Override
    public boolean advance() throws IOException {
      if (done) {
        return false;
      }
      return took(reader.advance());
    }

    private boolean took(boolean any) {
      if (!any) {
        done = true;
        current = null;
        return false;
      }
      current = reader.getCurrent();
      batchesRead++;
      return true;
    }

    @Override
    public List<RawRecord> getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      // ParseEntries moves each batch to its entries' event time.
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Instant getWatermark() {
      return done ? BoundedWindow.TIMESTAMP_MAX_VALUE : BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Mark getCheckpointMark() {
      return new Mark(
          reader == null ? source.part.getEndOffset() : LogEntrySource.resumeOffset(reader),
          batchesRead);
    }

    @Override
    public UnboundedSource<List<RawRecord>, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      if (reader != null) {
        reader.close();
      }
    }
  }
}
