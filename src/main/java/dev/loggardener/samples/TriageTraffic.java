package dev.loggardener.samples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Synthetic Cloud Logging traffic whose triage events are known: steady error families with their
 * own Poisson rates, spikes, families that stop for good, families that appear late, and a service
 * that goes silent. The truth document says what happened, to the millisecond, so that {@link
 * TriageScore} can measure a detector against it. Plain Java: the same settings give the same
 * bytes.
 *
 * <p>Each family is one problem: its messages differ only in numbers and hex strings, and its
 * wording shares no phrase with another family's, so a template miner keeps every family one
 * cluster, and apart.
 */
public final class TriageTraffic {

  /**
   * @param steadyFamilies families present from the first window (some of them stop)
   * @param minRate lowest mean error entries per window of a family
   * @param maxRate highest; rates are log-uniform between the two, so most families are quiet
   * @param infoRate mean INFO entries per window and service, the service's heartbeat
   * @param spikes spikes to place (fewer when the span has no room for them)
   * @param stops steady families that stop for good
   * @param newFamilies families that appear after hour 6
   * @param silentServices services that stop writing anything after hour 8
   */
  public record Settings(
      long seed,
      Instant start,
      Duration span,
      Duration window,
      int steadyFamilies,
      int services,
      double minRate,
      double maxRate,
      double infoRate,
      int spikes,
      int stops,
      int newFamilies,
      int silentServices) {

    /**
     * About 340k lines (seed 1: 336,291 lines, 191 MB): 60 families at a mean of 22 entries per
     * window for 288 windows, plus INFO. Rates are kept low so that a 2-core machine runs the
     * pipeline on it quickly.
     */
    public static Settings defaults() {
      return new Settings(
          1L,
          Instant.parse("2025-09-14T00:00:00Z"),
          Duration.ofHours(24),
          Duration.ofMinutes(5),
          60,
          4);
    }

    /** The default rates and events for these dimensions. */
    public Settings(
        long seed,
        Instant start,
        Duration span,
        Duration window,
        int steadyFamilies,
        int services) {
      this(seed, start, span, window, steadyFamilies, services, 5, 60, 20, 40, 8, 6, 1);
    }

    public Settings {
      if (span.isNegative() || span.isZero() || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("span and window must be positive");
      }
      if (span.toMillis() % window.toMillis() != 0) {
        throw new IllegalArgumentException("span must be a whole number of windows");
      }
      // Pipeline windows are aligned to the epoch; an unaligned start would cut truth windows.
      if (start.toEpochMilli() % window.toMillis() != 0) {
        throw new IllegalArgumentException("start must be aligned to the window");
      }
      if (steadyFamilies < 0 || services < 1 || newFamilies < 0 || spikes < 0 || stops < 0) {
        throw new IllegalArgumentException("counts must be >= 0 and services >= 1");
      }
      if (!(minRate > 0) || maxRate < minRate || infoRate < 0) {
        throw new IllegalArgumentException("need 0 < minRate <= maxRate and infoRate >= 0");
      }
      if (silentServices < 0 || silentServices > services) {
        throw new IllegalArgumentException("silentServices must be between 0 and services");
      }
    }

    public Settings withSeed(long seed) {
      return new Settings(
          seed,
          start,
          span,
          window,
          steadyFamilies,
          services,
          minRate,
          maxRate,
          infoRate,
          spikes,
          stops,
          newFamilies,
          silentServices);
    }

    public Settings withSpan(Duration span) {
      return new Settings(
          seed,
          start,
          span,
          window,
          steadyFamilies,
          services,
          minRate,
          maxRate,
          infoRate,
          spikes,
          stops,
          newFamilies,
          silentServices);
    }

    public Settings withFamilies(int steadyFamilies, int services) {
      return new Settings(
          seed,
          start,
          span,
          window,
          steadyFamilies,
          services,
          minRate,
          maxRate,
          infoRate,
          spikes,
          stops,
          newFamilies,
          silentServices);
    }

    public Settings withRates(double minRate, double maxRate, double infoRate) {
      return new Settings(
          seed,
          start,
          span,
          window,
          steadyFamilies,
          services,
          minRate,
          maxRate,
          infoRate,
          spikes,
          stops,
          newFamilies,
          silentServices);
    }

    public Settings withEvents(int spikes, int stops, int newFamilies, int silentServices) {
      return new Settings(
          seed,
          start,
          span,
          window,
          steadyFamilies,
          services,
          minRate,
          maxRate,
          infoRate,
          spikes,
          stops,
          newFamilies,
          silentServices);
    }
  }

  /**
   * What was generated. Timestamps are those of real entries: {@code first} and {@code last} are a
   * family's first and last entry as written (null when it wrote none).
   */
  public record Truth(
      int windowMinutes,
      Instant start,
      Instant end,
      List<Family> families,
      List<Spike> spikes,
      List<Silence> silent) {

    public Truth {
      families = List.copyOf(families);
      spikes = List.copyOf(spikes);
      silent = List.copyOf(silent);
    }

    public Duration window() {
      return Duration.ofMinutes(windowMinutes);
    }

    public static Truth parse(String json) {
      try {
        JsonNode n = JSON.readTree(json);
        List<Family> families = new ArrayList<>();
        for (JsonNode f : n.path("families")) {
          families.add(
              new Family(
                  f.path("function").asText(),
                  f.path("service").asText(),
                  f.path("rate").asDouble(),
                  instantOrNull(f.get("first")),
                  instantOrNull(f.get("last")),
                  f.path("stopped").asBoolean(),
                  f.path("new").asBoolean()));
        }
        List<Spike> spikes = new ArrayList<>();
        for (JsonNode s : n.path("spikes")) {
          List<Instant> windows = new ArrayList<>();
          s.path("windows").forEach(w -> windows.add(Instant.parse(w.asText())));
          spikes.add(new Spike(s.path("function").asText(), windows, s.path("factor").asDouble()));
        }
        List<Silence> silent = new ArrayList<>();
        for (JsonNode s : n.path("silent")) {
          silent.add(
              new Silence(s.path("service").asText(), Instant.parse(s.path("from").asText())));
        }
        return new Truth(
            n.path("window_minutes").asInt(),
            instantOrNull(n.get("start")),
            instantOrNull(n.get("end")),
            families,
            spikes,
            silent);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not a truth document: " + e.getOriginalMessage(), e);
      }
    }

    public static Truth read(Path path) throws IOException {
      return parse(Files.readString(path));
    }

    public String toJson() {
      ObjectNode root = F.objectNode();
      root.put("window_minutes", windowMinutes);
      root.put("start", start.toString());
      root.put("end", end.toString());
      ArrayNode fs = root.putArray("families");
      for (Family f : families) {
        ObjectNode o = fs.addObject();
        o.put("function", f.function());
        o.put("service", f.service());
        o.put("rate", f.rate());
        o.put("first", f.first() == null ? null : millis(f.first()));
        o.put("last", f.last() == null ? null : millis(f.last()));
        o.put("stopped", f.stopped());
        o.put("new", f.isNew());
      }
      ArrayNode ss = root.putArray("spikes");
      for (Spike s : spikes) {
        ObjectNode o = ss.addObject();
        o.put("function", s.function());
        ArrayNode w = o.putArray("windows");
        s.windows().forEach(i -> w.add(i.toString()));
        o.put("factor", s.factor());
      }
      ArrayNode si = root.putArray("silent");
      for (Silence s : silent) {
        si.addObject().put("service", s.service()).put("from", millis(s.from()));
      }
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Instant instantOrNull(JsonNode n) {
      return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }
  }

  /**
   * One family: one cluster, named by its function.
   *
   * @param rate mean entries per window outside spikes
   * @param stopped it stops for good before the end (by plan, not because its service went silent)
   * @param isNew it appears after the start ({@code "new"} in JSON)
   */
  public record Family(
      String function,
      String service,
      double rate,
      Instant first,
      Instant last,
      boolean stopped,
      boolean isNew) {}

  /**
   * A spike: consecutive windows in which the family writes {@code factor} times its rate.
   *
   * @param windows the spike windows' starts, in order
   */
  public record Spike(String function, List<Instant> windows, double factor) {
    public Spike {
      windows = List.copyOf(windows);
    }
  }

  /** A service that writes nothing at all from {@code from} on. */
  public record Silence(String service, Instant from) {}

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String PROJECT = "gardener-demo";
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  /** A spike needs a baseline: none in a family's first hours. */
  static final Duration SPIKE_AFTER = Duration.ofHours(3);

  /** Windows between two spikes of one family, so that its baseline recovers in between. */
  static final int SPIKE_GAP_WINDOWS = 12;

  static final Duration STOP_AFTER = Duration.ofHours(4);

  /** A stopped family stops this long before the end at the latest, so quiet can be seen. */
  static final Duration STOP_MARGIN = Duration.ofHours(6);

  static final Duration NEW_AFTER = Duration.ofHours(6);

  /** A new family appears this long before the end at the latest. */
  static final Duration NEW_MARGIN = Duration.ofHours(1);

  static final Duration SILENT_AFTER = Duration.ofHours(8);

  /** A silence starts this long before the end at the latest, so that it can be flagged. */
  static final Duration SILENT_MARGIN = Duration.ofHours(2);

  private static final String[] SERVICES = {
    "checkout-api", "catalog-api", "billing-worker", "notify-svc",
    "search-api", "auth-gateway", "media-worker", "reports-api"
  };

  /**
   * Hand-written families: a logger and a message. Placeholders: {n} an id, {k} a small count, {ms}
   * milliseconds, {b} bytes, {pct} a percentage, {code} an HTTP 5xx status, {h} 8 hex digits, {H}
   * 16 hex digits, {ip} an address and port. Every message has wording of its own.
   */
  static final String[][] TEMPLATES = {
    {"inventory.reserve", "Timeout calling inventory-api after {ms} ms (attempt {k})"},
    {"billing.charge_card", "Card authorization declined by processor for invoice {n}: code {k}"},
    {"orders.repository", "Deadlock detected while updating order {n}; rolled back after {ms} ms"},
    {"auth.tokens", "Refresh token {H} rejected: signature does not match key {h}"},
    {"search.indexer", "Elasticsearch bulk request lost {k} rejected documents out of {n}"},
    {"media.thumbnails", "Thumbnail render crashed on image {n}: decoder returned status {k}"},
    {"notify.email", "SMTP relay refused message {H}: mailbox quota exceeded for recipient {n}"},
    {"payments.webhook", "Webhook signature verification failed for event {H} (tolerance {k} s)"},
    {"cart.session", "Cart {n} could not be merged: stale version {k}, expected {k}"},
    {"catalog.pricing", "Price lookup returned negative amount for sku {n} in region {k}"},
    {"shipping.rates", "Carrier quote service unavailable, serving cached table {n}"},
    {"users.profile", "Profile image upload too large: {b} bytes received, {b} allowed"},
    {"db.pool", "Connection pool exhausted: {k} of {k} connections busy, waited {ms} ms"},
    {"cache.redis", "Redis MOVED redirect loop for slot {n} after {k} hops"},
    {"queue.consumer", "PubSub message {n} nacked: handler raised ValueError after {ms} ms"},
    {"reports.export", "CSV export job {n} aborted: worker memory reached {pct} percent"},
    {"analytics.ingest", "Dropped {n} events from batch {H}: schema field count mismatch"},
    {"auth.oauth", "OAuth callback missing state parameter for login attempt {H}"},
    {"geo.lookup", "GeoIP database lookup produced nothing for address {ip}"},
    {"storage.gcs", "Upload of chunk {k} to bucket answered HTTP {code} after {ms} ms"},
    {"scheduler.cron", "Cron trigger {n} skipped because previous run is still active"},
    {"ml.scoring", "Fraud model inference exceeded deadline: {ms} ms for request {H}"},
    {"feature.flags", "Flag evaluation fell back to defaults, config snapshot {h} unreadable"},
    {"tenant.router", "Tenant shard {k} unreachable; routing table version {n} marked stale"},
    {"audit.writer", "Audit trail append rejected, sequence gap between {n} and {n}"},
    {"i18n.loader", "Translation bundle checksum mismatch: expected {h} got {h}"},
    {"invoices.pdf", "PDF renderer killed by OOM while paginating invoice {n} at page {k}"},
    {"loyalty.points", "Loyalty balance went below zero for account {n} (delta {n})"},
    {"coupons.redeem", "Coupon redemption race lost for code {h}, retrying in {ms} ms"},
    {"kyc.verify", "Identity provider throttled verification {n}, backoff {k} minutes"},
    {"grpc.client", "gRPC stream reset by peer: RST_STREAM code {k} on call {n}"},
    {"http.server", "Request body parse error at byte offset {n}: unexpected end of input"},
    {"tls.certs", "Certificate chain validation error for upstream {ip}: expired intermediate"},
    {"dns.resolver", "DNS resolution of ledger backend took {ms} ms and returned SERVFAIL"},
    {"worker.heartbeat", "Worker heartbeat missed {k} consecutive intervals; lease {H} revoked"},
    {"locks.etcd", "Distributed lock acquisition timed out for segment {n} after {ms} ms"},
    {"kafka.producer", "Producer buffer full, dropping {n} records for partition {k}"},
    {"email.templates", "Template variable unresolved in campaign {n}: placeholder index {k}"},
    {"sms.gateway", "SMS provider rejected destination prefix {n} with error {k}"},
    {"recommend.vectors", "Embedding dimension mismatch: model produced {n} floats, index {n}"},
    {"accounts.merge", "Duplicate account merge aborted: conflicting primary emails on {n}"},
    {"checkout.tax", "Tax jurisdiction unresolved for postal area {n}; defaulting rate to zero"},
    {"refunds.process", "Refund {n} stuck in pending state for {k} minutes"},
    {"subscriptions.renew", "Subscription renewal retried {k} times, card token {H} expired"},
    {
      "fulfillment.picker", "Warehouse picker assignment impossible: bin {n} reports negative stock"
    },
    {"metrics.exporter", "Prometheus scrape target {ip} answered with malformed exposition line"},
    {"config.watch", "Configuration reload rejected: YAML document {k} has duplicate anchors"},
    {"sessions.store", "Session serializer overflow, payload {b} bytes exceeds cookie ceiling"},
    {"rbac.policy", "Permission evaluation denied role binding {n} due to cyclic inheritance"},
    {"docs.preview", "LibreOffice conversion hung on attachment {n}, killed after {ms} ms"},
    {"video.transcode", "FFmpeg exited with signal {k} while transcoding segment {n}"},
    {"chat.presence", "Presence fanout lagging: {n} pending updates in shard {k}"},
    {"backup.snapshot", "Nightly snapshot verification found {k} corrupted blocks in volume {h}"},
    {"migrations.runner", "Schema migration {n} left table locked for {ms} ms"},
    {"address.normalize", "Street address normalizer produced empty output for record {n}"},
    {"crypto.kms", "KMS decrypt call denied for key version {k}: permission revoked"},
    {"ratelimit.bucket", "Token bucket refill clock skew of {ms} ms detected on node {k}"},
    {"ledger.post", "Double-entry imbalance of {n} cents in journal batch {h}"},
    {"partner.sync", "Partner feed ingestion halted: row {n} contains unescaped delimiter"},
    {"images.cdn", "CDN purge request for asset {h} returned stale acknowledgment"},
    {"forms.validate", "Captcha verification service replied with unknown verdict {k}"},
    {"webhooks.outbound", "Outbound webhook to subscriber {n} exhausted {k} delivery attempts"},
    {"search.query", "Query planner aborted: boolean clause count {n} exceeds maximum"},
    {"ws.gateway", "WebSocket upgrade refused, origin header missing on socket {n}"},
    {"pricing.fx", "Currency conversion table older than {k} hours; quotes frozen"},
    {"returns.label", "Return label generation broke with carrier fault {k} for parcel {n}"},
    {"quotas.enforce", "Monthly API quota breached by project {n}: {pct} percent used"},
    {"graph.resolver", "GraphQL resolver depth limit hit at level {k} on operation {h}"},
    {"jobs.retry", "Retry queue poisoned: message {H} unreadable after {k} deserializations"},
    {"profiles.avatar", "Avatar crop coordinates outside image bounds for upload {n}"},
    {"sync.calendar", "Calendar sync conflict: remote event {h} modified concurrently"},
    {"inventory.forecast", "Demand forecast model diverged, loss reached {n} at epoch {k}"},
    {"sso.saml", "SAML assertion clock window violated by {ms} ms for issuer {k}"},
    {"storage.scratch", "Disk usage on scratch volume reached {pct} percent; evicting temp files"},
    {"alerts.router", "Pager escalation policy {n} lacks an on-call responder for tier {k}"},
    {"metrics.histogram", "Histogram bucket overflow in latency series {h}: {n} samples discarded"},
    {"payouts.batch", "Payout batch {n} bounced by bank: beneficiary account checksum invalid"},
    {"content.moderation", "Moderation classifier confidence {pct} percent below review floor"},
    {"maps.tiles", "Map tile cache miss storm: {n} misses per second on zoom level {k}"},
    {"sessions.csrf", "CSRF token mismatch on form submission {n}"},
  };

  /** Words for families past the hand-written ones; three per family, so none share wording. */
  private static final String[] SYNTHETIC_VERBS = {
    "reconcile", "hydrate", "compact", "replicate", "checkpoint", "rebalance", "vacuum", "shard"
  };

  /** How many families have hand-written messages; later ones get synthetic wording. */
  static final int HAND_WRITTEN = TEMPLATES.length;

  /** Plan of one family; times are epoch millis, {@code to} exclusive. */
  private static final class Plan {
    int index;
    String module;
    String message;
    String function;
    String service;
    int serviceIndex;
    String severity;
    int line;
    double rate;
    long from;
    long to;
    boolean stopped;
    boolean isNew;
    long first = -1;
    long last = -1;

    /** Spike factor per window index, 0 outside spikes. */
    double[] factor;
  }

  /** A line to write in a window: its time, and a family index or, for INFO, -1 - service. */
  private record Pending(long millis, int source) {}

  public void write(Settings s, Writer entries, Writer truth) {
    SplittableRandom plan = new SplittableRandom(s.seed());
    // Entry contents draw from their own stream, so that the plan does not depend on them.
    SplittableRandom rnd = plan.split();
    long windowMs = s.window().toMillis();
    long t0 = s.start().toEpochMilli();
    long end = t0 + s.span().toMillis();
    int windows = (int) (s.span().toMillis() / windowMs);

    String[] services = new String[s.services()];
    for (int i = 0; i < services.length; i++) {
      services[i] = i < SERVICES.length ? SERVICES[i] : "svc-" + Families.pseudoWord(i);
    }
    long[] silentFrom = new long[services.length];
    java.util.Arrays.fill(silentFrom, Long.MAX_VALUE);
    List<Silence> silences = new ArrayList<>();
    long silentLo = t0 + SILENT_AFTER.toMillis();
    long silentHi = end - SILENT_MARGIN.toMillis();
    if (silentHi > silentLo) {
      for (int i : pick(plan, services.length, s.silentServices())) {
        silentFrom[i] = silentLo + plan.nextLong(silentHi - silentLo);
        silences.add(new Silence(services[i], Instant.ofEpochMilli(silentFrom[i])));
      }
    }
    silences.sort(Comparator.comparing(Silence::from));
    List<Integer> speaking = new ArrayList<>();
    for (int i = 0; i < services.length; i++) {
      if (silentFrom[i] == Long.MAX_VALUE) {
        speaking.add(i);
      }
    }

    int total = s.steadyFamilies() + s.newFamilies();
    int[] templates = pick(plan, Math.max(HAND_WRITTEN, total), total);
    List<Plan> families = new ArrayList<>();
    long newLo = t0 + NEW_AFTER.toMillis();
    long newHi = end - NEW_MARGIN.toMillis();
    for (int i = 0; i < total; i++) {
      Plan p = new Plan();
      p.index = families.size();
      boolean isNew = i >= s.steadyFamilies();
      if (isNew && newHi <= newLo) {
        break; // no room for late families in a short span
      }
      int t = templates[i];
      if (t < HAND_WRITTEN) {
        p.module = TEMPLATES[t][0];
        p.message = TEMPLATES[t][1];
      } else {
        String w = Families.pseudoWord(t);
        p.module = "ingest." + w;
        p.message =
            "Stage "
                + Families.pseudoWord(t + 100_000)
                + " could not "
                + SYNTHETIC_VERBS[t % SYNTHETIC_VERBS.length]
                + " "
                + w
                + " partition {n} of ledger "
                + Families.pseudoWord(t + 200_000)
                + " after {ms} ms";
      }
      p.function = p.module + String.format(Locale.ROOT, "_f%02d", i);
      p.serviceIndex =
          isNew && !speaking.isEmpty()
              ? speaking.get(plan.nextInt(speaking.size()))
              : i % services.length;
      p.service = services[p.serviceIndex];
      p.severity = plan.nextInt(10) < 7 ? "ERROR" : "WARNING";
      p.line = 20 + plan.nextInt(900);
      double lnMin = Math.log(s.minRate());
      double lnMax = Math.log(s.maxRate());
      p.rate = Math.round(Math.exp(lnMin + plan.nextDouble() * (lnMax - lnMin)) * 100) / 100.0;
      p.isNew = isNew;
      p.from = isNew ? newLo + plan.nextLong(newHi - newLo) : t0;
      p.to = Math.min(end, silentFrom[p.serviceIndex]);
      if (p.from >= p.to) {
        continue; // a late family of a service already silent would never be seen
      }
      p.factor = new double[windows];
      families.add(p);
    }

    // Stops: steady families of services that stay audible, so a stop is not also a silence.
    List<Integer> stoppable = new ArrayList<>();
    for (Plan p : families) {
      if (!p.isNew && silentFrom[p.serviceIndex] == Long.MAX_VALUE) {
        stoppable.add(p.index);
      }
    }
    long stopLo = t0 + STOP_AFTER.toMillis();
    long stopHi = end - STOP_MARGIN.toMillis();
    if (stopHi > stopLo) {
      for (int k : pick(plan, stoppable.size(), s.stops())) {
        Plan p = families.get(stoppable.get(k));
        p.stopped = true;
        p.to = stopLo + plan.nextLong(stopHi - stopLo);
      }
    }

    List<Spike> spikes = placeSpikes(s, plan, families, t0, end, windows);

    writeEntries(s, rnd, entries, families, services, silentFrom, windows);

    List<Family> out = new ArrayList<>();
    for (Plan p : families) {
      out.add(
          new Family(
              p.function,
              p.service,
              p.rate,
              p.first < 0 ? null : Instant.ofEpochMilli(p.first),
              p.last < 0 ? null : Instant.ofEpochMilli(p.last),
              p.stopped,
              p.isNew));
    }
    Truth t =
        new Truth(
            (int) s.window().toMinutes(),
            s.start(),
            Instant.ofEpochMilli(end),
            out,
            spikes,
            silences);
    try {
      truth.write(t.toJson());
      truth.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Spikes of 1 to 3 windows, each inside its family's life, after its first {@link #SPIKE_AFTER},
   * at least {@link #SPIKE_GAP_WINDOWS} windows from the family's other spikes and, when the family
   * ends early, as far before its end (so a stop is not read as the spike's aftermath).
   */
  private static List<Spike> placeSpikes(
      Settings s, SplittableRandom plan, List<Plan> families, long t0, long end, int windows) {
    long windowMs = s.window().toMillis();
    List<Spike> spikes = new ArrayList<>();
    List<List<int[]>> placed = new ArrayList<>();
    families.forEach(p -> placed.add(new ArrayList<>()));
    if (families.isEmpty()) {
      return spikes;
    }
    for (int attempt = 0; attempt < s.spikes() * 1000 && spikes.size() < s.spikes(); attempt++) {
      Plan p = families.get(plan.nextInt(families.size()));
      int length = 1 + plan.nextInt(3);
      int lo = (int) ceilDiv(p.from + SPIKE_AFTER.toMillis() - t0, windowMs);
      // Last window that may be a spike's last: inside the life, and a gap before an early end.
      int hi = (int) ((p.to - t0) / windowMs) - 1;
      if (p.to < end) {
        hi -= SPIKE_GAP_WINDOWS;
      }
      int firstMax = Math.min(hi, windows - 1) - length + 1;
      if (firstMax < lo) {
        continue;
      }
      int a = lo + plan.nextInt(firstMax - lo + 1);
      int b = a + length - 1;
      boolean clear = true;
      for (int[] other : placed.get(p.index)) {
        if (a - other[1] - 1 < SPIKE_GAP_WINDOWS && other[0] - b - 1 < SPIKE_GAP_WINDOWS) {
          clear = false;
          break;
        }
      }
      if (!clear) {
        continue;
      }
      double lnLo = Math.log(3);
      double lnHi = Math.log(20);
      double factor = Math.round(Math.exp(lnLo + plan.nextDouble() * (lnHi - lnLo)) * 10) / 10.0;
      placed.get(p.index).add(new int[] {a, b});
      List<Instant> ws = new ArrayList<>();
      for (int w = a; w <= b; w++) {
        p.factor[w] = factor;
        ws.add(Instant.ofEpochMilli(t0 + w * windowMs));
      }
      spikes.add(new Spike(p.function, ws, factor));
    }
    spikes.sort(
        Comparator.comparing((Spike sp) -> sp.windows().get(0)).thenComparing(Spike::function));
    return spikes;
  }

  private void writeEntries(
      Settings s,
      SplittableRandom rnd,
      Writer out,
      List<Plan> families,
      String[] services,
      long[] silentFrom,
      int windows) {
    long windowMs = s.window().toMillis();
    long t0 = s.start().toEpochMilli();
    long seq = 0;
    List<Pending> pending = new ArrayList<>();
    try {
      for (int w = 0; w < windows; w++) {
        long ws = t0 + w * windowMs;
        long we = ws + windowMs;
        pending.clear();
        for (Plan p : families) {
          if (p.to <= ws || p.from >= we) {
            continue;
          }
          double lambda = p.rate * (p.factor[w] > 0 ? p.factor[w] : 1);
          // A whole window's draw, then the part outside the life dropped: still Poisson.
          for (long n = poisson(rnd, lambda); n > 0; n--) {
            long ts = ws + rnd.nextLong(windowMs);
            if (ts >= p.from && ts < p.to) {
              pending.add(new Pending(ts, p.index));
            }
          }
        }
        for (int i = 0; i < services.length; i++) {
          if (silentFrom[i] <= ws) {
            continue;
          }
          for (long n = poisson(rnd, s.infoRate()); n > 0; n--) {
            long ts = ws + rnd.nextLong(windowMs);
            if (ts < silentFrom[i]) {
              pending.add(new Pending(ts, -1 - i));
            }
          }
        }
        pending.sort(Comparator.comparingLong(Pending::millis)); // stable: ties keep draw order
        for (Pending e : pending) {
          ObjectNode entry;
          if (e.source() >= 0) {
            Plan p = families.get(e.source());
            if (p.first < 0) {
              p.first = e.millis();
            }
            p.last = e.millis();
            entry = error(rnd, p, e.millis(), seq++);
          } else {
            entry = info(rnd, services[-1 - e.source()], e.millis(), seq++);
          }
          out.write(JSON.writeValueAsString(entry));
          out.write('\n');
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode error(SplittableRandom rnd, Plan p, long millis, long seq) {
    ObjectNode e = base(rnd, p.service, p.severity, millis, seq);
    e.put("logName", "projects/" + PROJECT + "/logs/" + p.module);
    ObjectNode payload = e.putObject("jsonPayload");
    payload.put("message", fill(rnd, p.message));
    payload.put("logger", p.module);
    ObjectNode source = e.putObject("sourceLocation");
    source.put("file", p.module.replace('.', '/') + ".py");
    source.put("line", Integer.toString(p.line));
    source.put("function", p.function);
    return e;
  }

  private static ObjectNode info(SplittableRandom rnd, String service, long millis, long seq) {
    ObjectNode e = base(rnd, service, "INFO", millis, seq);
    e.put("logName", "projects/" + PROJECT + "/logs/run.googleapis.com%2Fstdout");
    ObjectNode payload = e.putObject("jsonPayload");
    payload.put(
        "message",
        rnd.nextInt(4) == 0
            ? "GET /healthz 200"
            : "GET /api/v1/items/"
                + (1 + rnd.nextInt(99999))
                + " 200 in "
                + rnd.nextInt(400)
                + " ms");
    payload.put("logger", "http.access");
    return e;
  }

  private static ObjectNode base(
      SplittableRandom rnd, String service, String severity, long millis, long seq) {
    ObjectNode e = F.objectNode();
    // A sequence number keeps ids unique; the random part makes them look like Cloud Logging's.
    e.put("insertId", hex(rnd, 6) + String.format(Locale.ROOT, "%08x", seq));
    e.put("timestamp", millis(Instant.ofEpochMilli(millis)));
    e.put("receiveTimestamp", millis(Instant.ofEpochMilli(millis + 20 + rnd.nextInt(900))));
    e.put("severity", severity);
    ObjectNode r = e.putObject("resource");
    r.put("type", "cloud_run_revision");
    r.putObject("labels")
        .put("service_name", service)
        .put("revision_name", service + "-00042-xyz")
        .put("location", "us-central1")
        .put("project_id", PROJECT);
    return e;
  }

  /** A message with its placeholders filled; every value is numeric or hex, so it masks. */
  static String fill(SplittableRandom rnd, String template) {
    StringBuilder sb = new StringBuilder(template.length() + 32);
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      int close = c == '{' ? template.indexOf('}', i) : -1;
      if (close < 0) {
        sb.append(c);
        i++;
        continue;
      }
      String name = template.substring(i + 1, close);
      switch (name) {
        case "n" -> sb.append(1000 + rnd.nextInt(999_000));
        case "k" -> sb.append(1 + rnd.nextInt(9));
        case "ms" -> sb.append(50 + rnd.nextInt(30_000));
        case "b" -> sb.append(1024 + rnd.nextInt(1 << 22));
        case "pct" -> sb.append(50 + rnd.nextInt(51));
        case "code" -> sb.append(500 + rnd.nextInt(5));
        case "h" -> sb.append(hexWithDigit(rnd, 8));
        case "H" -> sb.append(hexWithDigit(rnd, 16));
        case "ip" ->
            sb.append("10.")
                .append(rnd.nextInt(256))
                .append('.')
                .append(rnd.nextInt(256))
                .append('.')
                .append(1 + rnd.nextInt(254))
                .append(':')
                .append(1024 + rnd.nextInt(64_000));
        default -> throw new IllegalArgumentException("placeholder {" + name + "}");
      }
      i = close + 1;
    }
    return sb.toString();
  }

  /**
   * Poisson by Knuth's product of uniforms, in chunks of at most 30 (a sum of Poisson draws is
   * Poisson): exact at any rate, and the cost is linear in the rate, like writing the entries.
   */
  static long poisson(SplittableRandom rnd, double lambda) {
    long n = 0;
    double left = lambda;
    while (left > 0) {
      double chunk = Math.min(left, 30);
      left -= chunk;
      double limit = Math.exp(-chunk);
      double product = rnd.nextDouble();
      while (product > limit) {
        n++;
        product *= rnd.nextDouble();
      }
    }
    return n;
  }

  /** {@code count} distinct indexes below {@code n} (all of them when count >= n), in order. */
  private static int[] pick(SplittableRandom rnd, int n, int count) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int k = Math.min(count, n);
    for (int i = 0; i < k; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, k);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static String hex(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
    }
    return sb.toString();
  }

  /** Hex with a digit in it: a hex word of letters only could read as a constant word. */
  private static String hexWithDigit(SplittableRandom rnd, int n) {
    String h = hex(rnd, n);
    for (int i = 0; i < n; i++) {
      if (Character.isDigit(h.charAt(i))) {
        return h;
      }
    }
    return rnd.nextInt(10) + h.substring(1);
  }

  static String millis(Instant t) {
    return MILLIS.format(t);
  }

  /**
   * {@code OUT_ENTRIES OUT_TRUTH [hours] [seed]}: writes the default traffic (over {@code hours}
   * instead of 24) and prints what was written.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 4) {
      System.err.println("usage: TriageTraffic OUT_ENTRIES OUT_TRUTH [hours] [seed]");
      System.exit(2);
    }
    Settings s = Settings.defaults();
    if (args.length > 2) {
      s = s.withSpan(Duration.ofHours(Long.parseLong(args[2])));
    }
    if (args.length > 3) {
      s = s.withSeed(Long.parseLong(args[3]));
    }
    long started = System.nanoTime();
    long[] lines = {0};
    Path entriesPath = Path.of(args[0]);
    Path truthPath = Path.of(args[1]);
    try (Writer e = Files.newBufferedWriter(entriesPath, StandardCharsets.UTF_8);
        Writer t = Files.newBufferedWriter(truthPath, StandardCharsets.UTF_8)) {
      Writer counting =
          new FilterWriter(new BufferedWriter(e, 1 << 16)) {
            @Override
            public void write(int c) throws IOException {
              if (c == '\n') {
                lines[0]++;
              }
              super.write(c);
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
              for (int i = off; i < off + len; i++) {
                if (str.charAt(i) == '\n') {
                  lines[0]++;
                }
              }
              super.write(str, off, len);
            }

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
              for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                  lines[0]++;
                }
              }
              super.write(buf, off, len);
            }
          };
      new TriageTraffic().write(s, counting, t);
      counting.flush();
    }
    Truth truth = Truth.read(truthPath);
    long stopped = truth.families().stream().filter(Family::stopped).count();
    long fresh = truth.families().stream().filter(Family::isNew).count();
    System.out.printf(
        Locale.ROOT,
        "%d lines, %.1f MB in %s, %.1f s; %d families (%d stopped, %d new), %d spikes, %d silent"
            + " services%n",
        lines[0],
        Files.size(entriesPath) / 1e6,
        entriesPath,
        (System.nanoTime() - started) / 1e9,
        truth.families().size(),
        stopped,
        fresh,
        truth.spikes().size(),
        truth.silent().size());
  }
}
