package dev.loggardener.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/check-prerequisites on a PATH that holds only the shell tools it runs itself, plus
 * stand-ins that print old versions: one {@code missing:} line per item, naming it, and exit 1.
 */
class CheckPrerequisitesTest {
  /** What the script itself runs; everything else it looks for is left out of PATH. */
  private static final List<String> SHELL_TOOLS =
      List.of("bash", "dirname", "head", "readlink", "sed", "sort", "tail");

  @TempDir Path bin;

  @BeforeEach
  void shellTools() throws IOException {
    for (String tool : SHELL_TOOLS) {
      script(tool, "exec " + onPath(tool) + " \"$@\"");
    }
  }

  @Test
  void localStackWithNothingInstalledNamesEachMissingItem() throws Exception {
    Result r = run("local-stack");
    assertEquals(1, r.exit(), r.output());
    assertEquals(
        List.of(
            "missing: java, 17 or later",
            "missing: Maven (mvn), 3.8 or later",
            "missing: the Pub/Sub emulator: PUBSUB_EMULATOR_JAR="
                + bin.resolve("none.jar")
                + " is not a file",
            "missing: python3",
            "missing: curl"),
        r.missing(),
        r.output());
    assertTrue(r.output().contains("apt-get install openjdk-17-jdk"), r.output());
  }

  @Test
  void testWithOldVersionsNamesTheVersionsFoundAndTheOnesNeeded() throws Exception {
    script("java", "echo 'openjdk version \"11.0.22\" 2024-01-16' >&2");
    script("mvn", "echo 'Apache Maven 3.6.3'; echo 'Java version: 17.0.15, vendor: Debian'");
    script("terraform", "echo 'Terraform v1.4.6'; echo 'on linux_amd64'");
    Result r = run("test");
    assertEquals(1, r.exit(), r.output());
    assertEquals(
        List.of(
            "missing: java 17 or later (java on PATH is 11.0.22)",
            "missing: Maven 3.8 or later (mvn is 3.6.3)",
            "missing: terraform 1.5 or later, as terraform/versions.tf requires (terraform is"
                + " 1.4.6)",
            "missing: node",
            "missing: npm",
            "missing: the Pub/Sub emulator: PUBSUB_EMULATOR_JAR="
                + bin.resolve("none.jar")
                + " is not a file"),
        // ../shared is there or not depending on the machine; the tools are what is tested.
        r.missing().stream().filter(m -> !m.startsWith("missing: ../shared/")).toList(),
        r.output());
  }

  @Test
  void mavenOnAnOlderJavaThanThePathsIsNamed() throws Exception {
    script("java", "echo 'openjdk version \"17.0.15\" 2025-04-15' >&2");
    script("mvn", "echo 'Apache Maven 3.9.9'; echo 'Java version: 11.0.22, vendor: Debian'");
    Result r = run("local-stack");
    assertTrue(
        r.output()
            .lines()
            .anyMatch(
                l -> l.startsWith("missing: Java 17 or later for Maven (mvn -v says Java 11.")),
        r.output());
  }

  private record Result(int exit, String output) {
    /** Each missing line up to where the advice on getting it starts. */
    List<String> missing() {
      return output
          .lines()
          .filter(l -> l.startsWith("missing: "))
          .map(l -> l.replaceAll(" — .*|: set it to .*", ""))
          .toList();
    }
  }

  private Result run(String set) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(onPath("bash").toString(), "scripts/check-prerequisites", set)
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", bin.toString());
    env.put("HOME", System.getProperty("user.home"));
    env.put("PUBSUB_EMULATOR_JAR", bin.resolve("none.jar").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), out);
    return new Result(p.exitValue(), out);
  }

  /** A stand-in for a tool: a shell script that prints what the real one would. */
  private void script(String name, String body) throws IOException {
    Path f = bin.resolve(name);
    Files.writeString(f, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path onPath(String tool) {
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(tool + " is not on PATH");
  }
}
