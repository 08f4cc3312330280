package dev.loggardener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the package layout (README, Layout), read from the sources: the packages form
 * no cycle, only the Beam-facing ones import Beam, and only the CLI imports the pipeline.
 */
class LayoutTest {
  private static final Path ROOT = Path.of("src/main/java/dev/loggardener");
  private static final Pattern OURS = Pattern.compile("\\bdev\\.loggardener\\.([a-z]+)\\.");
  private static final Set<String> BEAM = Set.of("pipeline", "sink", "cli");

  /** Package to the project packages its code names. */
  private static final Map<String, Set<String>> USES = new TreeMap<>();

  private static final Map<String, List<String>> BEAM_USERS = new TreeMap<>();

  @BeforeAll
  static void read() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = ROOT.relativize(f).getName(0).toString();
        String text = Files.readString(f);
        Set<String> uses = USES.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = OURS.matcher(text);
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            uses.add(m.group(1));
          }
        }
        if (text.contains("org.apache.beam.")) {
          BEAM_USERS.computeIfAbsent(pkg, k -> new ArrayList<>()).add(f.getFileName().toString());
        }
      }
    }
  }

  @Test
  void thePackagesFormNoCycle() {
    for (String start : USES.keySet()) {
      List<String> path = cycleFrom(start, start, new ArrayList<>(List.of(start)));
      assertTrue(path == null, "package cycle: " + path);
    }
  }

  private static List<String> cycleFrom(String start, String at, List<String> path) {
    for (String next : USES.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (!path.contains(next)) {
        path.add(next);
        List<String> found = cycleFrom(start, next, path);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }

  @Test
  void onlyThePipelineTheSinksAndTheCliUseBeam() {
    Map<String, List<String>> elsewhere = new TreeMap<>(BEAM_USERS);
    BEAM.forEach(elsewhere::remove);
    assertEquals(Map.of(), elsewhere, "plain-Java packages that import Beam");
  }

  @Test
  void nothingButTheCliUsesThePipeline() {
    Set<String> users = new TreeSet<>();
    USES.forEach(
        (pkg, uses) -> {
          if (uses.contains("pipeline")) {
            users.add(pkg);
          }
        });
    assertEquals(Set.of("cli"), users);
  }
}
