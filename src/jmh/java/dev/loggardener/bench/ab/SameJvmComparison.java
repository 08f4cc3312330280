package dev.loggardener.bench.ab;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two versions of parse + redact + fingerprint in one JVM, in turns: on this shared VM the speed of
 * one JMH sitting differs from the next by up to a third, far more than most changes, while turns
 * of a few seconds in one process see the same machine. Each version is {@link EntryLoop} in a
 * class loader of its own (its classes, then the dependencies), so each is compiled by the JIT on
 * its own.
 *
 * <p>Arguments: the dependency classpath file, then for each of base and change the folder of its
 * classes, then the number of turns. {@code scripts/bench compare COMMIT} builds them.
 */
public final class SameJvmComparison {
  private SameJvmComparison() {}

  public static void main(String[] args) throws Exception {
    String deps = Files.readString(Path.of(args[0])).trim();
    String[] names = {"base", "change"};
    Method[] run = new Method[2];
    for (int k = 0; k < 2; k++) {
      List<URL> urls = new ArrayList<>();
      for (String p : args[1 + k].split(":")) {
        urls.add(Path.of(p).toUri().toURL());
      }
      for (String p : deps.split(":")) {
        urls.add(Path.of(p).toUri().toURL());
      }
      ClassLoader loader =
          new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
      Class<?> loop = loader.loadClass(EntryLoop.class.getName());
      loop.getMethod("init").invoke(null);
      run[k] = loop.getMethod("run", long.class);
    }
    int turns = Integer.parseInt(args[3]);
    for (int w = 0; w < 4; w++) {
      for (Method m : run) {
        m.invoke(null, 4_000_000_000L); // warm-up: both compiled before any turn counts
      }
    }
    double[][] ns = new double[2][turns];
    for (int i = 0; i < turns; i++) {
      for (int j = 0; j < 2; j++) {
        int k = i % 2 == 0 ? j : 1 - j; // alternate who goes first
        ns[k][i] = (double) run[k].invoke(null, 3_000_000_000L);
        System.out.printf("turn %2d %-6s %,6.0f ns/entry%n", i + 1, names[k], ns[k][i]);
      }
    }
    int faster = 0;
    for (int i = 0; i < turns; i++) {
      faster += ns[1][i] < ns[0][i] ? 1 : 0;
    }
    for (int k = 0; k < 2; k++) {
      double[] sorted = ns[k].clone();
      Arrays.sort(sorted);
      double median = sorted[turns / 2];
      System.out.printf(
          "%-6s median %,6.0f ns/entry = %,8.0f entries/s (fastest turn %,6.0f)%n",
          names[k], median, 1e9 / median, sorted[0]);
    }
    System.out.printf("change faster in %d of %d turns%n", faster, turns);
  }
}
