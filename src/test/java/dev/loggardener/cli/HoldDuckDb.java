package dev.loggardener.cli;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Holds a DuckDB file open for writing, as a streaming {@code gardener run} does, until its
 * standard input closes: {@code java HoldDuckDb FILE}. Prints "holding" once the lock is taken.
 */
public final class HoldDuckDb {
  private HoldDuckDb() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      c.createStatement().execute("CREATE TABLE IF NOT EXISTS held (x INTEGER)");
      System.out.println("holding");
      System.out.flush();
      System.in.readAllBytes();
    }
  }
}
