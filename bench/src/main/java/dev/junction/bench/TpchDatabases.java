package dev.junction.bench;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;
import dev.junction.testing.TestingServer;
import dev.junction.tpch.TpchData;
import dev.junction.tpch.TpchData.Dialect;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The TPC-H data of one benchmark run and the databases it is loaded into, each made on
 * first use: the three-database split (PostgreSQL orders and customer, MariaDB part,
 * partsupp and supplier, DuckDB lineitem, nation and region), one PostgreSQL schema with
 * any of the eight tables, and one DuckDB file with all eight. Closing drops the server
 * schemas. Every server URL handed out carries connect and socket timeouts, and a
 * statement timeout a little past the benchmark's deadline, so a query the benchmark gave
 * up on (its process killed) does not keep running on the server.
 */
final class TpchDatabases implements AutoCloseable {
  private final double scaleFactor;
  private final Path dir;
  private final int statementTimeoutSeconds;
  private TpchData data;
  private Split split;
  private TestingPostgreSqlServer singlePg;
  private final Set<String> singlePgTables = new LinkedHashSet<>();
  private Path singleDuckDb;

  /** The three-database split and how Junction and stock Calcite name its tables. */
  record Split(TestingPostgreSqlServer pg, TestingMariaDbServer maria, Path lake,
      Map<String, String> junctionNames, Map<String, String> stockNames) {
  }

  TpchDatabases(double scaleFactor, Path dir, int statementTimeoutSeconds) {
    this.scaleFactor = scaleFactor;
    this.dir = dir;
    this.statementTimeoutSeconds = statementTimeoutSeconds;
  }

  private TpchData data() {
    if (data == null) {
      long start = System.nanoTime();
      data = TpchData.generate(scaleFactor);
      System.err.printf(Locale.ROOT, "TPC-H SF %s generated in %d ms (lineitem %d rows)%n",
          scaleFactor, TpchData.millisSince(start), data.rowCount("lineitem"));
    }
    return data;
  }

  /** The three-database split, loaded on first use. */
  Split split() throws SQLException {
    if (split != null) {
      return split;
    }
    long start = System.nanoTime();
    TestingPostgreSqlServer pg = new TestingPostgreSqlServer();
    TestingMariaDbServer maria = new TestingMariaDbServer();
    split = new Split(pg, maria, dir.resolve("lake.duckdb"), new LinkedHashMap<>(),
        new LinkedHashMap<>());
    try (Connection c = loader(pg)) {
      List<String> loaded = new ArrayList<>();
      for (String t : List.of("orders", "customer")) {
        data().load(c, Dialect.POSTGRESQL, t, pg.namespace() + "." + t);
        loaded.add(pg.namespace() + "." + t);
        split.junctionNames().put(t, "sales." + pg.namespace() + "." + t);
        split.stockNames().put(t, "sales." + t);
      }
      TpchData.analyze(c, Dialect.POSTGRESQL, loaded);
    }
    try (Connection c = maria.connect()) {
      for (String t : List.of("part", "partsupp", "supplier")) {
        data().load(c, Dialect.MARIADB, t, t);
        split.junctionNames().put(t, "crm." + maria.namespace() + "." + t);
        split.stockNames().put(t, "crm." + t);
      }
      TpchData.analyze(c, Dialect.MARIADB, List.of("part", "partsupp", "supplier"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + split.lake())) {
      for (String t : List.of("lineitem", "nation", "region")) {
        data().load(c, Dialect.DUCKDB, t, t);
        split.junctionNames().put(t, "lake.main." + t);
        split.stockNames().put(t, "lake." + t);
      }
      TpchData.analyze(c, Dialect.DUCKDB, List.of());
    }
    System.err.printf(Locale.ROOT, "TPC-H split over PostgreSQL, MariaDB, DuckDB loaded in %d ms%n",
        TpchData.millisSince(start));
    return split;
  }

  /** Junction's catalog over the split: sources {@code sales}, {@code crm}, {@code lake}. */
  Path splitCatalog(String name) throws SQLException, IOException {
    return splitCatalog(name, null);
  }

  /** {@link #splitCatalog(String)} with the server sources' {@code pool-size}, unless null. */
  Path splitCatalog(String name, Integer poolSize) throws SQLException, IOException {
    Split s = split();
    Map<String, Object> sales = new LinkedHashMap<>(serverSource("postgresql",
        postgresUrl(s.pg()), s.pg()));
    Map<String, Object> crm = new LinkedHashMap<>(serverSource("mysql", mariaUrl(s.maria()),
        s.maria()));
    if (poolSize != null) {
      sales.put("pool-size", poolSize);
      crm.put("pool-size", poolSize);
    }
    return new CatalogFile().source("sales", sales).source("crm", crm)
        .source("lake", Map.of("type", "duckdb", "path", s.lake().toString()))
        .write(Files.createDirectories(dir.resolve(name)));
  }

  /**
   * Connection properties for stock Calcite over the split: a model with one JDBC schema
   * per database ({@code sales}, {@code crm}, {@code lake}), as stock Calcite users write.
   * Calcite opens DuckDB read-write and its pool keeps the file locked, so {@code lake} is
   * a copy of the split's DuckDB file that no other process opens.
   */
  Properties stockCalcite(Path lake) throws SQLException {
    Split s = split();
    String model = "{\"version\": \"1.0\", \"defaultSchema\": \"sales\", \"schemas\": ["
        + jdbcSchema("sales", postgresUrl(s.pg()), s.pg().user(), s.pg().password(), null,
            s.pg().namespace())
        + ", " + jdbcSchema("crm", mariaUrl(s.maria()), s.maria().user(), s.maria().password(),
            s.maria().namespace(), null)
        + ", " + jdbcSchema("lake", "jdbc:duckdb:" + lake, null, null, null, "main")
        + "]}";
    Properties p = new Properties();
    p.setProperty("caseSensitive", "false");
    p.setProperty("unquotedCasing", "UNCHANGED");
    p.setProperty("model", "inline:" + model);
    return p;
  }

  private static String jdbcSchema(String name, String url, String user, String password,
      String catalog, String schema) {
    StringBuilder b = new StringBuilder("{\"name\": \"" + name + "\", \"type\": \"custom\","
        + " \"factory\": \"org.apache.calcite.adapter.jdbc.JdbcSchema$Factory\","
        + " \"operand\": {\"jdbcUrl\": \"" + url + "\"");
    if (user != null) {
      b.append(", \"jdbcUser\": \"").append(user).append("\", \"jdbcPassword\": \"")
          .append(password).append('"');
    }
    if (catalog != null) {
      b.append(", \"jdbcCatalog\": \"").append(catalog).append('"');
    }
    if (schema != null) {
      b.append(", \"jdbcSchema\": \"").append(schema).append('"');
    }
    return b.append("}}").toString();
  }

  /** One PostgreSQL schema holding {@code tables}, loading the ones it lacks. */
  TestingPostgreSqlServer singlePostgres(Collection<String> tables) throws SQLException {
    if (singlePg == null) {
      singlePg = new TestingPostgreSqlServer();
    }
    List<String> missing = tables.stream().filter(t -> !singlePgTables.contains(t)).toList();
    if (!missing.isEmpty()) {
      long start = System.nanoTime();
      try (Connection c = loader(singlePg)) {
        List<String> loaded = new ArrayList<>();
        for (String t : missing) {
          data().load(c, Dialect.POSTGRESQL, t, singlePg.namespace() + "." + t);
          loaded.add(singlePg.namespace() + "." + t);
          singlePgTables.add(t);
        }
        TpchData.analyze(c, Dialect.POSTGRESQL, loaded);
      }
      System.err.printf(Locale.ROOT, "PostgreSQL schema %s: %s loaded in %d ms%n",
          singlePg.namespace(), missing, TpchData.millisSince(start));
    }
    return singlePg;
  }

  /** Junction's catalog over {@link #singlePostgres}: the one source {@code pg}. */
  Path singlePostgresCatalog(String name) throws IOException {
    return new CatalogFile().source("pg", serverSource("postgresql", postgresUrl(singlePg),
        singlePg)).write(Files.createDirectories(dir.resolve(name)));
  }

  /** One DuckDB file with all eight tables, made on first use. Copy it before writing. */
  Path singleDuckDb() throws SQLException {
    if (singleDuckDb == null) {
      long start = System.nanoTime();
      Path file = dir.resolve("tpch.duckdb");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file)) {
        for (String t : TpchQueries.TABLES) {
          data().load(c, Dialect.DUCKDB, t, t);
        }
        TpchData.analyze(c, Dialect.DUCKDB, List.of());
      }
      singleDuckDb = file;
      System.err.printf(Locale.ROOT, "DuckDB file with all 8 tables loaded in %d ms%n",
          TpchData.millisSince(start));
    }
    return singleDuckDb;
  }

  /**
   * Lets the generated rows go once the databases a scenario needs are loaded; they are
   * generated again if another database is made later. At SF 1 they hold gigabytes.
   */
  void releaseGeneratedData() {
    data = null;
  }

  /** A copy of a DuckDB file, for a process that must not share the original's lock. */
  Path copy(Path duckDb, String name) throws IOException {
    Path copy = dir.resolve(name);
    Files.copy(duckDb, copy, StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  /** A Junction catalog with one DuckDB source {@code duck} over {@code file}. */
  Path duckDbCatalog(String name, Path file) throws IOException {
    return new CatalogFile().source("duck", Map.of("type", "duckdb", "path", file.toString()))
        .write(Files.createDirectories(dir.resolve(name)));
  }

  /** PostgreSQL's URL with connect, socket and statement timeouts. */
  String postgresUrl(TestingPostgreSqlServer pg) {
    return pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "options="
        + URLEncoder.encode("-c statement_timeout=" + statementTimeoutSeconds + "s",
            StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** MariaDB's URL with connect, socket and statement timeouts. */
  String mariaUrl(TestingMariaDbServer maria) {
    return maria.jdbcUrl() + "&sessionVariables=max_statement_time=" + statementTimeoutSeconds;
  }

  private static Map<String, Object> serverSource(String type, String url,
      TestingServer server) {
    return Map.of("type", type, "url", url, "user", server.user(), "password",
        server.password());
  }

  /** A PostgreSQL connection for bulk loading: batched inserts rewritten into multi-rows. */
  private static Connection loader(TestingPostgreSqlServer pg) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", pg.user());
    p.setProperty("password", pg.password());
    p.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(pg.jdbcUrl(), p);
  }

  @Override public void close() throws Exception {
    try (AutoCloseable a = split == null ? null : split.pg();
         AutoCloseable b = split == null ? null : split.maria();
         AutoCloseable c = singlePg) {
      // closes each, even when one fails
    }
  }
}
