package dev.junction.driver;

import dev.junction.testing.CatalogFile;
import dev.junction.testing.RemoteSqlRecorder;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The BigQuery adapter against real BigQuery. Runs only when {@code
 * JUNCTION_BIGQUERY_PROJECT} names a project whose Application Default Credentials (or
 * {@code GOOGLE_APPLICATION_CREDENTIALS}) may create a dataset and run query jobs; it is
 * skipped with a message otherwise. It creates a dataset {@code junction_live_<random>}
 * with one small table (a few KB, billed at BigQuery's minimum per query) and drops it.
 */
class BigQueryLiveIT {
  static final String PROJECT = System.getenv("JUNCTION_BIGQUERY_PROJECT");
  static final String LOCATION = System.getenv().getOrDefault("JUNCTION_BIGQUERY_LOCATION",
      "US");
  @TempDir
  static Path dir;
  static BigQuery client;
  static String dataset;
  static Path catalog;

  static final String SKIPPED = "BigQueryLiveIT skipped: set JUNCTION_BIGQUERY_PROJECT (and"
      + " Application Default Credentials, e.g. gcloud auth application-default login, or"
      + " GOOGLE_APPLICATION_CREDENTIALS) to run it against real BigQuery";

  static boolean configured() {
    return PROJECT != null && !PROJECT.isBlank();
  }

  @BeforeAll
  static void setUp() throws Exception {
    if (!configured()) {
      org.slf4j.LoggerFactory.getLogger(BigQueryLiveIT.class).warn(SKIPPED);
      return;
    }
    client = BigQueryOptions.newBuilder().setProjectId(PROJECT).setLocation(LOCATION).build()
        .getService();
    dataset = "junction_live_" + UUID.randomUUID().toString().replace("-", "")
        .substring(0, 12).toLowerCase(Locale.ROOT);
    client.create(DatasetInfo.newBuilder(DatasetId.of(PROJECT, dataset))
        .setLocation(LOCATION).build());
    Job job = client.create(JobInfo.of(QueryJobConfiguration.newBuilder("CREATE TABLE `"
        + dataset + "`.orders AS SELECT n AS id, CONCAT('c', CAST(MOD(n, 7) AS STRING))"
        + " AS customer, CAST(n * 1.5 AS NUMERIC) AS amount, TIMESTAMP_ADD(TIMESTAMP"
        + " '2024-01-01 00:00:00+00', INTERVAL n HOUR) AS at_utc,"
        + " DATETIME_ADD(DATETIME '2024-01-01 00:00:00', INTERVAL n HOUR) AS at_local"
        + " FROM UNNEST(GENERATE_ARRAY(1, 30000)) AS n").setUseLegacySql(false).build()));
    job.waitFor();
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("type", "bigquery");
    settings.put("project", PROJECT);
    settings.put("location", LOCATION);
    settings.put("page-size", 5000);
    Files.writeString(dir.resolve("policy.yaml"), "rules:\n  - {allow: read}\nlimits:\n"
        + "  users:\n    frugal: {max-bytes-scanned: 1000}\n", StandardCharsets.UTF_8);
    catalog = dir.resolve("junction.yaml");
    Files.writeString(catalog, new CatalogFile().source("bq", settings).yaml()
        + "policy: policy.yaml\n", StandardCharsets.UTF_8);
  }

  @AfterAll
  static void tearDown() {
    if (client != null && dataset != null) {
      client.delete(DatasetId.of(PROJECT, dataset),
          BigQuery.DatasetDeleteOption.deleteContents());
    }
  }

  private static Connection connect(String user) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    return CatalogFile.connect(catalog, p);
  }

  @Test
  void discoversPushesDownAndPages() throws Exception {
    assumeTrue(configured(), SKIPPED);
    try (Connection c = connect("live"); Statement st = c.createStatement();
         RemoteSqlRecorder recorder = new RemoteSqlRecorder()) {
      try (ResultSet rs = c.getMetaData().getColumns("bq", dataset, "orders", null)) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        assertEquals(5, n);
      }
      try (ResultSet rs = st.executeQuery("SELECT customer, COUNT(*), SUM(amount) FROM bq."
          + dataset + ".orders WHERE id > 10 GROUP BY customer ORDER BY customer LIMIT 3")) {
        assertTrue(rs.next());
        assertEquals("c0", rs.getString(1));
      }
      assertEquals(1, recorder.sentTo("bq").size(), recorder.sent().toString());
      long rows = 0;
      try (ResultSet rs = st.executeQuery("SELECT id, at_utc, at_local FROM bq." + dataset
          + ".orders")) {
        while (rs.next()) {
          rows++;
        }
      }
      assertEquals(30_000, rows);
    }
  }

  @Test
  void refusesOverTheScanBudget() throws Exception {
    assumeTrue(configured(), SKIPPED);
    try (Connection c = connect("frugal"); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery(
          "SELECT customer FROM bq." + dataset + ".orders").next());
      assertEquals("54J02", e.getSQLState(), e::getMessage);
    }
  }

  @Test
  void labelsJobs() throws Exception {
    assumeTrue(configured(), SKIPPED);
    try (Connection c = connect("live-labels"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id FROM bq." + dataset
             + ".orders WHERE id = 3")) {
      assertTrue(rs.next());
    }
    long labelled = 0;
    for (FieldValueList row : client.query(QueryJobConfiguration.newBuilder("SELECT COUNT(*)"
        + " FROM `region-" + LOCATION.toLowerCase(Locale.ROOT) + "`.INFORMATION_SCHEMA"
        + ".JOBS_BY_USER, UNNEST(labels) AS l WHERE l.key = 'junction-user'"
        + " AND l.value = 'live-labels'"
        + " AND creation_time > TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR)")
        .setUseLegacySql(false).build()).getValues()) {
      labelled = row.get(0).getLongValue();
    }
    assertTrue(labelled >= 1, "a job labelled junction-user=live-labels");
  }
}
