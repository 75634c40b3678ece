package dev.junction.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Writes a catalog YAML for a test and opens Junction connections to it. */
public final class CatalogFile {
  private final Map<String, Map<String, Object>> sources = new LinkedHashMap<>();

  /** Adds a source with the given settings. */
  public CatalogFile source(String name, Map<String, Object> settings) {
    sources.put(name, settings);
    return this;
  }

  /** Adds a PostgreSQL source on a test server. */
  public CatalogFile postgresql(String name, TestingServer pg) {
    return source(name, Map.of("type", "postgresql", "url", pg.jdbcUrl(), "user", pg.user(),
        "password", pg.password()));
  }

  /** Adds a MySQL/MariaDB source on a test server. */
  public CatalogFile mariadb(String name, TestingServer db) {
    return source(name, Map.of("type", "mysql", "url", db.jdbcUrl(), "user", db.user(),
        "password", db.password()));
  }

  /** Adds a DuckDB source over a database file. */
  public CatalogFile duckdb(String name, Path file) {
    return source(name, Map.of("type", "duckdb", "path", file.toString()));
  }

  /** Adds a SQLite source over a database file. */
  public CatalogFile sqlite(String name, Path file) {
    return source(name, Map.of("type", "sqlite", "path", file.toString()));
  }

  /** The YAML text. */
  public String yaml() {
    StringBuilder b = new StringBuilder("sources:\n");
    sources.forEach((name, settings) -> {
      b.append("  ").append(name).append(":\n");
      settings.forEach((k, v) -> b.append("    ").append(k).append(": ")
          .append(quote(v)).append('\n'));
    });
    return b.toString();
  }

  private static String quote(Object v) {
    if (v instanceof String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      m.forEach((k, x) -> b.append(b.length() > 1 ? ", " : "").append(quote(k)).append(": ")
          .append(quote(x)));
      return b.append('}').toString();
    }
    return String.valueOf(v);
  }

  /** Writes the file into {@code dir} and returns its path. */
  public Path write(Path dir) throws IOException {
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, yaml(), StandardCharsets.UTF_8);
    return file;
  }

  /** Opens a Junction connection to a catalog file. */
  public static Connection connect(Path file) throws SQLException {
    return connect(file, new Properties());
  }

  /** Opens a Junction connection to a catalog file with extra properties. */
  public static Connection connect(Path file, Properties properties) throws SQLException {
    return DriverManager.getConnection("jdbc:junction:config=" + file, properties);
  }
}
