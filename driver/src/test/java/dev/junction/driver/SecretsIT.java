package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.TestingMariaDbServer;
import dev.junction.testing.TestingPostgreSqlServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A source password never appears in anything Junction prints or returns: log output,
 * exception messages and stack traces, EXPLAIN, DatabaseMetaData or toString(). The test
 * runs the whole surface with a known password and greps everything for it.
 */
class SecretsIT {
  private static final String PASSWORD = "Zq8-known-P4ssw0rd-91";

  @TempDir
  static Path dir;
  static TestingPostgreSqlServer pg;
  static TestingMariaDbServer maria;

  @BeforeAll
  static void setUp() throws Exception {
    pg = new TestingPostgreSqlServer();
    maria = new TestingMariaDbServer();
    pg.execute("CREATE TABLE " + pg.namespace() + ".t (id int PRIMARY KEY, v text)",
        "INSERT INTO " + pg.namespace() + ".t VALUES (1, 'a')");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (pg != null) {
      pg.close();
    }
    if (maria != null) {
      maria.close();
    }
  }

  @Test
  void passwordNeverLeaks() throws Exception {
    Path secret = dir.resolve("pg.secret");
    Files.writeString(secret, PASSWORD + "\n");
    // PostgreSQL here trusts local connections, so the password is sent but not needed;
    // MariaDB checks it, so that source fails to log in with it.
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "sources:\n"
        + "  sales: {type: postgresql, url: \"" + pg.jdbcUrl() + "\", user: " + pg.user()
        + ", password: \"${file:" + secret + "}\"}\n"
        + "  crm: {type: mysql, url: \"" + maria.jdbcUrl() + "\", user: root, password: \""
        + PASSWORD + "\"}\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "sources:\n"
        + "  sales: {type: postgresql, url: \"" + pg.jdbcUrl() + "\", pasword: \"" + PASSWORD
        + "\", password: [\"" + PASSWORD + "\"]}\n");

    StringBuilder seen = new StringBuilder();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      try (Connection c = CatalogFile.connect(good); Statement st = c.createStatement()) {
        seen.append(c).append(st);
        collect(st.executeQuery("SELECT * FROM sales." + pg.namespace() + ".t"), seen);
        collect(st.executeQuery("EXPLAIN PLAN FOR SELECT * FROM sales." + pg.namespace()
            + ".t WHERE id = 1"), seen);
        DatabaseMetaData md = c.getMetaData();
        seen.append(md.getURL()).append(md.getUserName());
        collect(md.getCatalogs(), seen);
        collect(md.getSchemas(), seen);
        collect(md.getTables("sales", null, null, null), seen);
        collect(md.getColumns("sales", null, null, null), seen);
        seen.append(c.getClientInfo());
        try {
          collect(st.executeQuery("SELECT * FROM crm.x.y"), seen);
          fail("crm cannot log in");
        } catch (SQLException e) {
          append(e, seen);
        }
        try {
          collect(st.executeQuery("SELECT nosuchcolumn FROM sales." + pg.namespace() + ".t"),
              seen);
        } catch (SQLException e) {
          append(e, seen);
        }
      }
      try (Connection c = CatalogFile.connect(bad)) {
        fail("invalid catalog must not connect");
      } catch (SQLException e) {
        append(e, seen);
        assertTrue(e.getMessage().contains("pasword"), e.getMessage());
      }
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    seen.append(captured.toString(StandardCharsets.UTF_8));
    String all = seen.toString();
    assertTrue(all.contains("crm"), "the failing source is named");
    assertFalse(all.contains(PASSWORD), "password leaked in:\n" + all);
  }

  private static void append(SQLException e, StringBuilder seen) {
    StringWriter sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    seen.append(sw);
  }

  private static void collect(ResultSet rs, StringBuilder seen) throws SQLException {
    try (rs) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= md.getColumnCount(); i++) {
          seen.append(rs.getString(i)).append('\t');
        }
        seen.append('\n');
      }
    }
  }
}
