package dev.loggardener.cluster;

import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * What a cluster row says beyond its window's counts: the fingerprint's history (baseline, spike,
 * new, state) and who owns it. Columns {@code baseline_count} to {@code ignored} of {@code
 * cluster_windows}.
 *
 * @param baselineCount entries per window expected before this window; null during warm-up
 * @param spikeRatio the window's count over the baseline; null where there is no baseline
 * @param state one of new, ongoing, spiking, quiet, resolved, regressed
 * @param owner the team or person a rule or CODEOWNERS names, or null
 * @param windowsLastDay windows of the last day with entries, this one included
 * @param ignored a rule said never to open an issue for it
 */
public record Signal(
    Double baselineCount,
    Double spikeRatio,
    boolean isSpike,
    boolean isNew,
    String state,
    String owner,
    long windowsLastDay,
    boolean ignored)
    implements Serializable {

  /** For rows written before history was kept. */
  public static final Signal NONE = new Signal(null, null, false, false, "ongoing", null, 0, false);

  public void writeTo(DataOutput d) throws IOException {
    writeDouble(d, baselineCount);
    writeDouble(d, spikeRatio);
    d.writeBoolean(isSpike);
    d.writeBoolean(isNew);
    Wire.string(d, state);
    Wire.string(d, owner);
    d.writeLong(windowsLastDay);
    d.writeBoolean(ignored);
  }

  public static Signal readFrom(DataInput d) throws IOException {
    return new Signal(
        readDouble(d),
        readDouble(d),
        d.readBoolean(),
        d.readBoolean(),
        Wire.string(d),
        Wire.string(d),
        d.readLong(),
        d.readBoolean());
  }

  private static void writeDouble(DataOutput d, Double v) throws IOException {
    d.writeBoolean(v != null);
    if (v != null) {
      d.writeDouble(v);
    }
  }

  private static Double readDouble(DataInput d) throws IOException {
    return d.readBoolean() ? d.readDouble() : null;
  }
}
