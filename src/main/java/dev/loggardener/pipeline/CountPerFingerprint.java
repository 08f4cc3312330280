package dev.loggardener.pipeline;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Per fingerprint and window pane: counts, first and last seen, samples and distinct counts. */
public final class CountPerFingerprint
    extends PTransform<PCollection<Observation>, PCollection<KV<String, ClusterStats>>> {

  @Override
  public PCollection<KV<String, ClusterStats>> expand(PCollection<Observation> observations) {
    return observations
        .apply(
            "KeyByFingerprint",
            WithKeys.of(Observation::fingerprint).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.ObservationCoder.INSTANCE))
        .apply("Combine", Combine.perKey(new StatsFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.ClusterStatsCoder.INSTANCE));
  }

  static final class StatsFn extends Combine.CombineFn<Observation, ClusterStats, ClusterStats> {
    @Override
    public ClusterStats createAccumulator() {
      return new ClusterStats();
    }

    @Override
    public ClusterStats addInput(ClusterStats acc, Observation o) {
      acc.add(o);
      return acc;
    }

    @Override
    public ClusterStats mergeAccumulators(Iterable<ClusterStats> accs) {
      ClusterStats out = new ClusterStats();
      for (ClusterStats a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public ClusterStats extractOutput(ClusterStats acc) {
      return acc;
    }

    @Override
    public Coder<ClusterStats> getAccumulatorCoder(
        CoderRegistry registry, Coder<Observation> inputCoder) throws CannotProvideCoderException {
      return Coders.ClusterStatsCoder.INSTANCE;
    }
  }
}
