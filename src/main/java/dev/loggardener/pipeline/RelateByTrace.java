package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Pairs of fingerprints that shared a trace, as the report's relationships find them: one request
 * that failed in two places is one incident seen twice. Each row names up to five trace ids, those
 * with the smallest hashes, so clusters that share traces share these. Keyed by trace id, with the
 * fingerprints seen under it for a day of event time (at most {@link #MAX_PER_TRACE}); a new one is
 * paired with each before it, both ways.
 */
final class RelateByTrace
    extends PTransform<PCollection<ClusterRow>, PCollection<KV<String, String>>> {
  static final int MAX_PER_TRACE = 8;

  @Override
  public PCollection<KV<String, String>> expand(PCollection<ClusterRow> rows) {
    return rows.apply(
            "ByTrace",
            ParDo.of(
                new DoFn<ClusterRow, KV<String, String>>() {
                  @ProcessElement
                  public void process(
                      @Element ClusterRow r, OutputReceiver<KV<String, String>> out) {
                    if (r.entryCount() > 0) {
                      for (String trace : r.traceIds()) {
                        out.output(KV.of(trace, r.fingerprint()));
                      }
                    }
                  }
                }))
        .setCoder(PAIR)
        .apply("PairPerTrace", ParDo.of(new PairFn()))
        .setCoder(PAIR);
  }

  static final KvCoder<String, String> PAIR =
      KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());

  static final class PairFn extends DoFn<KV<String, String>, KV<String, String>> {
    @StateId("seen")
    private final StateSpec<ValueState<List<String>>> seenSpec =
        StateSpecs.value(ListCoder.of(StringUtf8Coder.of()));

    @TimerId("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(
        @Element KV<String, String> e,
        @Timestamp org.joda.time.Instant timestamp,
        @StateId("seen") ValueState<List<String>> seen,
        @TimerId("forget") Timer forget,
        OutputReceiver<KV<String, String>> out) {
      List<String> before = seen.read();
      List<String> fps = before == null ? new ArrayList<>() : new ArrayList<>(before);
      String fp = e.getValue();
      if (fps.contains(fp) || fps.size() >= MAX_PER_TRACE) {
        return;
      }
      for (String other : fps) {
        out.output(KV.of(fp, other));
        out.output(KV.of(other, fp));
      }
      fps.add(fp);
      seen.write(fps);
      forget.set(timestamp.plus(Duration.standardDays(1)));
    }

    @OnTimer("forget")
    public void onForget(@StateId("seen") ValueState<List<String>> seen) {
      seen.clear();
    }
  }
}
