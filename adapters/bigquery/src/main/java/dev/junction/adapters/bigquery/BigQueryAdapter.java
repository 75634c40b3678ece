package dev.junction.adapters.bigquery;

import dev.junction.adapters.jdbc.ColumnSpec;
import dev.junction.adapters.jdbc.JdbcSourceAdapter;
import dev.junction.adapters.jdbc.RemoteScope;
import dev.junction.adapters.jdbc.TypeMapping;
import dev.junction.spi.Decimals;
import dev.junction.spi.ErrorCode;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Secret;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceSpec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.http.HttpTransportOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * BigQuery sources: the datasets of one project as schemas ({@code bq.dataset.table}),
 * read through Google's client library. Junction's pushdown sends each pushed subtree as
 * one GoogleSQL statement ({@link BigQueryDialect}) through a small JDBC facade
 * ({@link BigQueryDataSource}) that runs it as a query job and reads its result page by
 * page. Row counts come from each table's {@code numRows}.
 *
 * <p>Credentials: Application Default Credentials unless {@code credentials} names a
 * service-account key file or holds the key's JSON (typically
 * {@code ${env:...}}/{@code ${file:...}}); {@code none} sends no credentials (a local
 * endpoint set with {@code host}). The key is never logged or shown.
 */
public final class BigQueryAdapter extends JdbcSourceAdapter {
  private static final SourceProperty PROJECT = SourceProperty.optional("project",
      SourceProperty.Type.STRING, "Google Cloud project whose datasets are exposed and in"
          + " which jobs run (default: the credentials' or environment's project)");
  private static final SourceProperty CREDENTIALS = SourceProperty.optional("credentials",
      SourceProperty.Type.SECRET, "service-account key file path or key JSON, or none;"
          + " default: Application Default Credentials");
  private static final SourceProperty HOST = SourceProperty.optional("host",
      SourceProperty.Type.STRING, "endpoint root URL instead of"
          + " https://bigquery.googleapis.com (tests, private endpoints)");
  private static final SourceProperty LOCATION = SourceProperty.optional("location",
      SourceProperty.Type.STRING, "where jobs run (US, EU, europe-west1, ...)");
  private static final SourceProperty PAGE_SIZE = SourceProperty.optional("page-size",
      SourceProperty.Type.INTEGER, "10000", "rows per page read from a job's result");
  private static final SourceProperty MAXIMUM_BYTES_BILLED = SourceProperty.optional(
      "maximum-bytes-billed", SourceProperty.Type.INTEGER,
      "BigQuery fails a job that would bill more bytes than this (0: no cap)");
  private static final SourceProperty POLL_INTERVAL = SourceProperty.optional(
      "poll-interval", SourceProperty.Type.DURATION, "1s",
      "longest wait of one poll for a job to finish; a cancel is acted on between polls");

  /** How long one response may take to arrive. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);

  /** The OAuth scope jobs and metadata reads need. */
  private static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/bigquery");

  /** The type of BIGNUMERIC columns: as wide as Junction's DECIMAL, half of it fraction. */
  static final int BIGNUMERIC_SCALE = Decimals.MAX_PRECISION / 2;

  @Override public String type() {
    return "bigquery";
  }

  @Override public List<SourceProperty> properties() {
    return List.of(PROJECT, CREDENTIALS, HOST, LOCATION, PAGE_SIZE, MAXIMUM_BYTES_BILLED,
        POLL_INTERVAL, CONNECT_TIMEOUT);
  }

  @Override public List<String> validate(SourceSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.values().get("page-size") instanceof Number n
        && (n.longValue() < 1 || n.longValue() > 100_000)) {
      problems.add("key 'page-size': expected a whole number from 1 to 100000, found " + n);
    }
    if (spec.values().get("maximum-bytes-billed") instanceof Number n && n.longValue() < 0) {
      problems.add("key 'maximum-bytes-billed': expected 0 or more bytes, found " + n);
    }
    String host = spec.string("host").orElse(null);
    if (host != null && !host.startsWith("http://") && !host.startsWith("https://")) {
      problems.add("key 'host': expected a URL starting with http:// or https://, found '"
          + host + "'");
    }
    return problems;
  }

  @Override public SqlDialect dialect() {
    return BigQueryDialect.INSTANCE;
  }

  /** No JDBC driver: the facade is the driver. */
  @Override protected String driverClassName() {
    return BigQueryDataSource.class.getName();
  }

  @Override protected String location(SourceSpec spec) {
    return spec.string("host").orElse("https://bigquery.googleapis.com") + " (project "
        + spec.string("project").orElse("from the environment") + ")";
  }

  @Override protected DataSource createDataSource(SourceSpec spec) {
    BigQueryOptions.Builder options = BigQueryOptions.newBuilder();
    spec.string("project").ifPresent(options::setProjectId);
    spec.string("host").ifPresent(options::setHost);
    spec.string("location").ifPresent(options::setLocation);
    options.setCredentials(credentials(spec));
    // Bounded waits: connecting takes at most connect-timeout, a response at most a minute,
    // and a request that fails is tried three times in all (the client's default, six
    // tries with backoff, took 9 s to report a refused port).
    Duration connect = spec.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT);
    options.setTransportOptions(HttpTransportOptions.newBuilder()
        .setConnectTimeout((int) connect.toMillis())
        .setReadTimeout((int) READ_TIMEOUT.toMillis()).build());
    options.setRetrySettings(ServiceOptions.getDefaultRetrySettings().toBuilder()
        .setMaxAttempts(3).build());
    BigQueryOptions built = options.build();
    String project = built.getProjectId();
    if (project == null || project.isEmpty()) {
      throw new JunctionException(ErrorCode.CONFIG_INVALID, "source '" + spec.name()
          + "' (bigquery): no project: set key 'project', or GOOGLE_CLOUD_PROJECT");
    }
    Object pageSize = spec.values().get("page-size");
    Object maxBilled = spec.values().get("maximum-bytes-billed");
    return new BigQueryDataSource(spec.name(), built.getService(),
        new BigQueryDataSource.Settings(project, spec.string("location").orElse(null),
            pageSize == null ? 10_000 : ((Number) pageSize).intValue(),
            maxBilled == null ? 0 : ((Number) maxBilled).longValue(),
            spec.duration("poll-interval", Duration.ofSeconds(1))));
  }

  /**
   * The credentials of a source: {@code none}, a key's JSON, a key file, or Application
   * Default Credentials. A failure names the source and the kind of credentials, never
   * the key.
   */
  private static Credentials credentials(SourceSpec spec) {
    String value = spec.secret("credentials").map(Secret::reveal).map(String::strip)
        .orElse("");
    try {
      if (value.equalsIgnoreCase("none")) {
        return NoCredentials.getInstance();
      }
      if (value.isEmpty()) {
        return GoogleCredentials.getApplicationDefault()
            .createScoped(SCOPES);
      }
      try (InputStream in = value.startsWith("{")
          ? new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8))
          : Files.newInputStream(Path.of(value))) {
        return GoogleCredentials.fromStream(in)
            .createScoped(SCOPES);
      }
    } catch (IOException | RuntimeException e) {
      String what = value.isEmpty() ? "Application Default Credentials"
          : value.startsWith("{") ? "the service-account key in key 'credentials'"
          : "the key file named in key 'credentials'";
      throw new JunctionException(ErrorCode.SOURCE_LOGIN_REJECTED, "source '" + spec.name()
          + "' (bigquery): cannot load " + what + ": " + e.getClass().getSimpleName()
          + ". Check the credentials, or set GOOGLE_APPLICATION_CREDENTIALS");
    }
  }

  /**
   * The bytes a dry run says the statement scans ({@code 1048576 bytes scanned (dry run)}):
   * what the scan budgets are checked against. A statement with parameters, which a dry run
   * cannot take without values, or one BigQuery rejects, has none.
   */
  @Override protected String explainEstimate(DataSource pool, String sql) {
    if (!(pool instanceof BigQueryDataSource ds) || sql.contains("?")) {
      return null;
    }
    try {
      long bytes = BigQueryStatement.estimate(ds.client(), QueryJobConfiguration.newBuilder(sql)
          .setUseLegacySql(false).build(), ds.settings());
      return bytes + " bytes scanned (dry run)";
    } catch (BigQueryException e) {
      return "no estimate: " + BigQueryErrors.toSql(e, ds.source()).getMessage();
    }
  }

  @Override protected void closeDataSource(DataSource dataSource) {
    // The client holds no connections of its own to close.
  }

  @Override protected List<String> listSchemas(Connection c) throws SQLException {
    return c.unwrap(BigQueryConnection.class).datasets();
  }

  @Override protected boolean isSystemSchema(String schema) {
    return schema.equalsIgnoreCase("INFORMATION_SCHEMA");
  }

  /** Names the columns with their BigQuery types ({@code tables.get}). */
  @Override protected List<ColumnSpec> columns(DatabaseMetaData md, RemoteScope scope,
      String table) throws SQLException {
    Table t = table(md.getConnection(), scope.schema(), table);
    List<ColumnSpec> columns = new ArrayList<>();
    Schema schema = t == null || t.getDefinition() == null ? null
        : t.getDefinition().getSchema();
    if (schema == null) {
      return columns;
    }
    for (Field f : schema.getFields()) {
      StandardSQLTypeName type = BigQueryTypes.type(f);
      int size = f.getPrecision() != null ? f.getPrecision().intValue()
          : type == StandardSQLTypeName.BIGNUMERIC ? Decimals.MAX_PRECISION
          : type == StandardSQLTypeName.NUMERIC ? BigQueryDialect.NUMERIC_PRECISION : 0;
      int scale = f.getScale() != null ? f.getScale().intValue()
          : type == StandardSQLTypeName.BIGNUMERIC ? BIGNUMERIC_SCALE
          : type == StandardSQLTypeName.NUMERIC ? BigQueryDialect.NUMERIC_SCALE : 0;
      columns.add(new ColumnSpec(f.getName(), BigQueryTypes.jdbcType(type), type.name(),
          size, scale, f.getMode() != Field.Mode.REQUIRED, f.getDescription()));
    }
    return columns;
  }

  @Override protected OptionalLong rowCount(Connection c, String schema, String table)
      throws SQLException {
    Table t = table(c, schema, table);
    return t == null || t.getNumRows() == null ? OptionalLong.empty()
        : OptionalLong.of(t.getNumRows().longValue());
  }

  private static Table table(Connection c, String dataset, String table)
      throws SQLException {
    BigQueryDataSource ds = c.unwrap(BigQueryConnection.class).dataSource();
    try {
      return ds.client().getTable(TableId.of(ds.settings().project(), dataset, table));
    } catch (BigQueryException e) {
      throw BigQueryErrors.toSql(e, ds.source());
    }
  }

  /**
   * BigQuery's types: INT64 BIGINT, FLOAT64 DOUBLE, NUMERIC DECIMAL(38, 9) (or its declared
   * precision and scale), BIGNUMERIC DECIMAL(38, 19), BOOL BOOLEAN, BYTES VARBINARY,
   * DATETIME TIMESTAMP, TIMESTAMP (an instant) TIMESTAMP WITH LOCAL TIME ZONE, and STRUCT,
   * ARRAY, GEOGRAPHY, JSON, INTERVAL and RANGE as VARCHAR holding their text.
   */
  @Override protected RelDataType mapType(RelDataTypeFactory typeFactory, ColumnSpec column) {
    RelDataType type = switch (column.typeName()) {
      case "INT64" -> typeFactory.createSqlType(SqlTypeName.BIGINT);
      case "FLOAT64" -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
      case "NUMERIC", "BIGNUMERIC" -> typeFactory.createSqlType(SqlTypeName.DECIMAL,
          Math.min(column.size(), Decimals.MAX_PRECISION),
          Math.min(column.scale(), Math.min(column.size(), Decimals.MAX_PRECISION)));
      case "BOOL" -> typeFactory.createSqlType(SqlTypeName.BOOLEAN);
      case "BYTES" -> typeFactory.createSqlType(SqlTypeName.VARBINARY);
      case "DATE" -> typeFactory.createSqlType(SqlTypeName.DATE);
      case "TIME" -> typeFactory.createSqlType(SqlTypeName.TIME, 3);
      case "DATETIME" -> typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case "TIMESTAMP" ->
          typeFactory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 3);
      case "STRING" -> typeFactory.createSqlType(SqlTypeName.VARCHAR);
      default -> null;
    };
    if (type == null) {
      return TypeMapping.map(typeFactory, new ColumnSpec(column.name(),
          java.sql.Types.VARCHAR, "STRING", 0, 0, column.nullable(), column.remarks()));
    }
    return typeFactory.createTypeWithNullability(type, column.nullable());
  }
}
