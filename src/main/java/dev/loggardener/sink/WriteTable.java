package dev.loggardener.sink;

import dev.loggardener.logentry.DeadLetter;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/** Writes rows to one table of a {@link Sink}; its output is the rows the sink refused. */
public final class WriteTable<T> extends PTransform<PCollection<T>, PCollection<DeadLetter>> {
  private final String table;
  private final SerializableFunction<T, Map<String, Object>> columns;
  private final Sink sink;

  public WriteTable(String table, SerializableFunction<T, Map<String, Object>> columns, Sink sink) {
    this.table = table;
    this.columns = columns;
    this.sink = sink;
  }

  /** The refused rows are in the global window, whatever the rows' windows, like dead letters. */
  @Override
  public PCollection<DeadLetter> expand(PCollection<T> rows) {
    return sink.write(rows, table, columns)
        .apply(
            "Unwindow",
            Window.<DeadLetter>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }
}
