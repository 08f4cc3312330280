package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paced read gives every record exactly once, in order, across splits and across readers
 * restarted from checkpoints, as the DirectRunner restarts them.
 */
class PacedFileSourceTest {
  @TempDir Path dir;

  private final PipelineOptions options = PipelineOptionsFactory.create();

  /** Reads every split, restarting the reader from its checkpoint after every batch. */
  private List<String> readWithRestarts(String glob, int splits, List<Integer> splitsSeen)
      throws Exception {
    List<String> bodies = new ArrayList<>();
    List<PacedFileSource> parts = new PacedFileSource(glob).split(splits, options);
    splitsSeen.add(parts.size());
    for (PacedFileSource part : parts) {
      PacedFileSource.Mark mark = null;
      while (true) {
        UnboundedSource.UnboundedReader<List<RawRecord>> reader = part.createReader(options, mark);
        boolean any = reader.start();
        if (!any) {
          assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
          reader.close();
          break;
        }
        assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, reader.getWatermark());
        for (RawRecord r : reader.getCurrent()) {
          bodies.add(new String(r.body(), StandardCharsets.UTF_8));
        }
        // A checkpoint that does not move on would read the same batch forever.
        assertTrue(bodies.size() <= 100_000, "the reader does not move on from its checkpoints");
        mark = roundTrip(part, (PacedFileSource.Mark) reader.getCheckpointMark());
        reader.close();
      }
    }
    return bodies;
  }

  private static PacedFileSource.Mark roundTrip(PacedFileSource source, PacedFileSource.Mark mark)
      throws Exception {
    return org.apache.beam.sdk.util.CoderUtils.clone(source.getCheckpointMarkCoder(), mark);
  }

  @Test
  void linesAcrossSplitsAndRestartsComeExactlyOnceInOrder() throws Exception {
    // 3.5 MB of lines of varying length, some empty and some ending in CRLF: several splits
    // (at least 1 MiB each) and several batches per split.
    List<String> expected = new ArrayList<>();
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 14_000; i++) {
      String line = i % 97 == 0 ? "" : "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 500) + "\"}";
      expected.add(line);
      file.append(line).append(i % 7 == 0 ? "\r\n" : "\n");
    }
    Path path = dir.resolve("entries.jsonl");
    Files.writeString(path, file, StandardCharsets.UTF_8);

    List<Integer> splits = new ArrayList<>();
    List<String> read = readWithRestarts(path.toString(), 3, splits);
    assertTrue(splits.get(0) >= 3, "splits: " + splits);
    assertEquals(expected.size(), read.size());
    assertEquals(expected, read);
  }

  @Test
  void aJsonArrayIsReadWholeAndResumesByCountingBatches() throws Exception {
    List<String> expected = new ArrayList<>();
    StringBuilder file = new StringBuilder("[\n");
    int n = LogEntrySource.BATCH_RECORDS * 2 + 123;
    for (int i = 0; i < n; i++) {
      String entry = "{\"n\":" + i + "}";
      expected.add(entry);
      file.append(i == 0 ? "  " : ",\n  ").append(entry);
    }
    file.append("\n]\n");
    Path path = dir.resolve("entries.json");
    Files.writeString(path, file, StandardCharsets.UTF_8);

    List<Integer> splits = new ArrayList<>();
    List<String> read = readWithRestarts(path.toString(), 4, splits);
    assertEquals(List.of(1), splits);
    assertEquals(n, read.size());
    for (int i = 0; i < n; i++) {
      assertTrue(read.get(i).contains("\"n\":" + i + "}"), read.get(i));
    }
  }
}
