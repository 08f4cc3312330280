package dev.loggardener.pipeline;

/**
 * Names of the pipeline's Beam counters, all in one namespace. The accounting they keep: {@code
 * entries_read = entries_counted + duplicates_dropped + out_of_scope + dead_letters} once every
 * window has closed (entries too late for their window are the exception: Beam drops them and
 * counts them under its own {@code droppedDueToLateness}).
 */
public final class GardenerMetrics {
  public static final String NAMESPACE = "gardener";
  public static final String READ = "entries_read";

  /** The bytes of the records read, line ends left out: with entries_read, a file's progress. */
  public static final String BYTES_READ = "bytes_read";

  public static final String HEARTBEATS = "heartbeats";
  public static final String PARSED = "entries_parsed";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String DEAD_LETTERS_PREFIX = "dead_letters_";
  public static final String DUPLICATES = "duplicates_dropped";
  public static final String OUT_OF_SCOPE = "out_of_scope";
  public static final String FINGERPRINTED = "entries_fingerprinted";
  public static final String ALIASES = "fingerprint_aliases";
  public static final String CLUSTER_ROWS = "cluster_rows";

  /** Entries counted in a service's overflow row: its fingerprints beyond the cap in a window. */
  public static final String OVERFLOW = "entries_in_overflow";

  /** One counter per GitHub sync action: github_created, github_commented, ... */
  public static final String GITHUB_PREFIX = "github_";

  private GardenerMetrics() {}
}
