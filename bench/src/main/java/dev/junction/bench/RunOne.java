package dev.junction.bench;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Runs one query in a fresh JVM and prints {@code OK <millis> <rows>} or
 * {@code ERR <message>}: the parent kills it at a deadline, which is the only way to
 * stop a planner that does not check a deadline (stock Calcite's).
 */
public final class RunOne {
  private RunOne() {
  }

  /** Arguments: JDBC URL, properties file, SQL file. */
  public static void main(String[] args) throws Exception {
    Class.forName("dev.junction.driver.JunctionDriver");
    Class.forName("org.apache.calcite.jdbc.Driver");
    Properties p = new Properties();
    try (InputStream in = new FileInputStream(args[1])) {
      p.load(in);
    }
    String sql = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);
    try (Connection c = DriverManager.getConnection(args[0], p);
         Statement st = c.createStatement()) {
      long start = System.nanoTime();
      long rows = 0;
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          rows++;
        }
      }
      System.out.println("OK " + (System.nanoTime() - start) / 1_000_000 + " " + rows);
    } catch (Exception e) {
      String m = String.valueOf(e.getMessage()).replace('\n', ' ');
      System.out.println("ERR " + (m.length() > 160 ? m.substring(0, 160) : m));
    }
  }
}
