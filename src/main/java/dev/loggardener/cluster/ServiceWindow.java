package dev.loggardener.cluster;

import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code service_windows}: a service's whole traffic in one window, or (state {@code
 * silent}, no entries) a window in which a service that always writes wrote nothing.
 */
public record ServiceWindow(
    String service,
    Instant windowStart,
    Instant windowEnd,
    long entries,
    long outOfScope,
    long fingerprints,
    Double baselineEntries,
    String state,
    String runId,
    long attempt)
    implements Serializable {

  public static final String ACTIVE = "active";
  public static final String SILENT = "silent";

  /** Column name to value, in the order of {@code schema/service_windows.json}. */
  public Map<String, Object> columns() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("window_start", windowStart);
    m.put("window_end", windowEnd);
    m.put("entries", entries);
    m.put("out_of_scope", outOfScope);
    m.put("fingerprints", fingerprints);
    m.put("baseline_entries", baselineEntries);
    m.put("state", state);
    m.put("run_id", runId);
    m.put("attempt", attempt);
    return m;
  }

  public void writeTo(DataOutput d) throws IOException {
    Wire.string(d, service);
    Wire.instant(d, windowStart);
    Wire.instant(d, windowEnd);
    d.writeLong(entries);
    d.writeLong(outOfScope);
    d.writeLong(fingerprints);
    d.writeBoolean(baselineEntries != null);
    if (baselineEntries != null) {
      d.writeDouble(baselineEntries);
    }
    Wire.string(d, state);
    Wire.string(d, runId);
    d.writeLong(attempt);
  }

  public static ServiceWindow readFrom(DataInput d) throws IOException {
    return new ServiceWindow(
        Wire.string(d),
        Wire.instant(d),
        Wire.instant(d),
        d.readLong(),
        d.readLong(),
        d.readLong(),
        d.readBoolean() ? d.readDouble() : null,
        Wire.string(d),
        Wire.string(d),
        d.readLong());
  }
}
