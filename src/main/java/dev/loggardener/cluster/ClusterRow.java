package dev.loggardener.cluster;

import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code cluster_windows}: a fingerprint in one window pane. Column names and order are
 * those of {@code schema/cluster_windows.json}; {@link #columns} is checked against it.
 */
public record ClusterRow(
    String fingerprint,
    String template,
    String service,
    String module,
    String function,
    List<String> sourceLines,
    List<String> revisions,
    String severity,
    String priority,
    String category,
    String rule,
    long entryCount,
    Instant firstSeen,
    Instant lastSeen,
    Instant windowStart,
    Instant windowEnd,
    String paneTiming,
    long paneIndex,
    boolean isFinal,
    List<String> samples,
    long distinctUsers,
    long distinctTraces,
    List<String> traceIds,
    String runId,
    long attempt,
    Signal signal)
    implements Serializable {

  public ClusterRow {
    sourceLines = List.copyOf(sourceLines);
    revisions = List.copyOf(revisions);
    samples = List.copyOf(samples);
    traceIds = List.copyOf(traceIds);
    signal = signal == null ? Signal.NONE : signal;
  }

  /** A classified pane: its facts, and the priority, category and rule the classifier gave it. */
  public static ClusterRow of(
      ClusterPane p, String priority, String category, String rule, Signal signal) {
    return new ClusterRow(
        p.fingerprint(),
        p.template(),
        p.service(),
        p.module(),
        p.function(),
        p.sourceLines(),
        p.revisions(),
        p.severity().name(),
        priority,
        category,
        rule,
        p.entryCount(),
        p.firstSeen(),
        p.lastSeen(),
        p.windowStart(),
        p.windowEnd(),
        p.paneTiming().name(),
        p.paneIndex(),
        p.isFinal(),
        p.samples(),
        p.distinctUsers(),
        p.distinctTraces(),
        p.traceIds(),
        "",
        0,
        signal);
  }

  /**
   * This row as written by a run: {@code runId} names the input (a digest of the files) or the
   * streaming job, {@code attempt} tells a re-run of the same input from the one before it.
   */
  public ClusterRow withRun(String runId, long attempt) {
    return new ClusterRow(
        fingerprint,
        template,
        service,
        module,
        function,
        sourceLines,
        revisions,
        severity,
        priority,
        category,
        rule,
        entryCount,
        firstSeen,
        lastSeen,
        windowStart,
        windowEnd,
        paneTiming,
        paneIndex,
        isFinal,
        samples,
        distinctUsers,
        distinctTraces,
        traceIds,
        runId,
        attempt,
        signal);
  }

  /** Column name to value, in schema order; timestamps as {@link Instant}, lists as lists. */
  public Map<String, Object> columns() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fingerprint", fingerprint);
    m.put("template", template);
    m.put("service", service);
    m.put("module", module);
    m.put("function", function);
    m.put("source_lines", sourceLines);
    m.put("revisions", revisions);
    m.put("severity", severity);
    m.put("priority", priority);
    m.put("category", category);
    m.put("rule", rule);
    m.put("entry_count", entryCount);
    m.put("first_seen", firstSeen);
    m.put("last_seen", lastSeen);
    m.put("window_start", windowStart);
    m.put("window_end", windowEnd);
    m.put("pane_timing", paneTiming);
    m.put("pane_index", paneIndex);
    m.put("is_final", isFinal);
    m.put("samples", samples);
    m.put("distinct_users", distinctUsers);
    m.put("distinct_traces", distinctTraces);
    m.put("trace_ids", traceIds);
    m.put("run_id", runId);
    m.put("attempt", attempt);
    m.put("baseline_count", signal.baselineCount());
    m.put("spike_ratio", signal.spikeRatio());
    m.put("is_spike", signal.isSpike());
    m.put("is_new", signal.isNew());
    m.put("state", signal.state());
    m.put("owner", signal.owner());
    m.put("windows_last_day", signal.windowsLastDay());
    m.put("ignored", signal.ignored());
    return m;
  }

  /** Writes every field, for a coder; {@link #readFrom} reads it back. */
  public void writeTo(DataOutput d) throws IOException {
    Wire.string(d, fingerprint);
    Wire.string(d, template);
    Wire.string(d, service);
    Wire.string(d, module);
    Wire.string(d, function);
    Wire.strings(d, sourceLines);
    Wire.strings(d, revisions);
    Wire.string(d, severity);
    Wire.string(d, priority);
    Wire.string(d, category);
    Wire.string(d, rule);
    d.writeLong(entryCount);
    Wire.instant(d, firstSeen);
    Wire.instant(d, lastSeen);
    Wire.instant(d, windowStart);
    Wire.instant(d, windowEnd);
    Wire.string(d, paneTiming);
    d.writeLong(paneIndex);
    d.writeBoolean(isFinal);
    Wire.strings(d, samples);
    d.writeLong(distinctUsers);
    d.writeLong(distinctTraces);
    Wire.strings(d, traceIds);
    Wire.string(d, runId);
    d.writeLong(attempt);
    signal.writeTo(d);
  }

  /**
   * Reads a row {@link #writeTo} wrote; version 1 had no run id and attempt, version 2 no signal.
   */
  public static ClusterRow readFrom(DataInput d, int version) throws IOException {
    return new ClusterRow(
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.strings(d),
        Wire.strings(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        d.readLong(),
        Wire.instant(d),
        Wire.instant(d),
        Wire.instant(d),
        Wire.instant(d),
        Wire.string(d),
        d.readLong(),
        d.readBoolean(),
        Wire.strings(d),
        d.readLong(),
        d.readLong(),
        Wire.strings(d),
        version >= 2 ? Wire.string(d) : "",
        version >= 2 ? d.readLong() : 0,
        version >= 3 ? Signal.readFrom(d) : Signal.NONE);
  }
}
