package dev.loggardener.cluster;

/** When a window pane fired relative to the watermark: Beam's timings, by the same names. */
public enum PaneTiming {
  EARLY,
  ON_TIME,
  LATE,
  UNKNOWN
}
