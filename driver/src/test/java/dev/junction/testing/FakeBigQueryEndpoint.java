package dev.junction.testing;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.DuckDBSqlDialect;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A test double speaking a subset of the BigQuery REST API v2, backed by an in-memory
 * DuckDB: NOT BigQuery, and no substitute for a live test. It answers what Google's
 * client library sends for Junction's BigQuery adapter: datasets and tables listing,
 * tables.get (schema and numRows), jobs.insert (dry runs included), jobs.get,
 * getQueryResults, tabledata.list with paging and jobs.cancel.
 *
 * <p>Datasets are DuckDB schemas, tables DuckDB tables. The GoogleSQL a job carries is
 * parsed with Calcite's parser in BigQuery mode (backticks, backslash escapes) and printed
 * for DuckDB, where GoogleSQL's type names exist as DuckDB types (INT64, FLOAT64, BYTES,
 * DATETIME); positional query parameters are bound with their declared types. A dry run
 * estimates 8 bytes per row for each column of each table the statement names that it
 * also mentions (BigQuery bills the columns a query reads). Every job is recorded
 * ({@link #jobs()}) with its SQL, labels and whether it was cancelled. Jobs whose SQL
 * matches {@link #hold} stay RUNNING until cancelled, for cancel and timeout tests.
 */
public final class FakeBigQueryEndpoint implements AutoCloseable {
  /** The dataset holding job results, as BigQuery's anonymous result tables. */
  private static final String RESULTS = "_fake_results";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** DuckDB's dialect, with LIMIT in subqueries too (DuckDB has no FETCH NEXT). */
  private static final DuckDBSqlDialect DUCKDB =
      new DuckDBSqlDialect(DuckDBSqlDialect.DEFAULT_CONTEXT) {
        @Override public void unparseOffsetFetch(org.apache.calcite.sql.SqlWriter writer,
            SqlNode offset, SqlNode fetch) {
          unparseFetchUsingLimit(writer, offset, fetch);
        }
      };

  private final HttpServer server;
  private final ExecutorService http = Executors.newFixedThreadPool(8);
  private final ExecutorService runner = Executors.newCachedThreadPool();
  private final Connection duck;
  private final String project;
  private final Map<String, Job> jobsById = new ConcurrentHashMap<>();
  private final List<Job> jobs = new CopyOnWriteArrayList<>();
  private volatile Pattern hold;

  /** One job as the endpoint saw it. */
  public static final class Job {
    private final String id;
    private final String sql;
    private final Map<String, String> labels;
    private final boolean dryRun;
    private final String location;
    private volatile String duckSql;
    private volatile String state = "PENDING";
    private volatile boolean cancelled;
    private volatile String error;
    private volatile List<String> columns = List.of();
    private volatile ArrayNode fields;
    private volatile List<JsonNode[]> rows = List.of();
    private volatile long bytes;
    private final java.util.concurrent.atomic.AtomicInteger pagesServed =
        new java.util.concurrent.atomic.AtomicInteger();

    Job(String id, String sql, Map<String, String> labels, boolean dryRun, String location) {
      this.id = id;
      this.sql = sql;
      this.labels = labels;
      this.dryRun = dryRun;
      this.location = location;
    }

    /** The job id. */
    public String id() {
      return id;
    }

    /** The GoogleSQL the job carried. */
    public String sql() {
      return sql;
    }

    /** The SQL run in DuckDB. */
    public String duckSql() {
      return duckSql;
    }

    /** The job's labels. */
    public Map<String, String> labels() {
      return labels;
    }

    /** Whether it was a dry run. */
    public boolean dryRun() {
      return dryRun;
    }

    /** Whether jobs.cancel reached it. */
    public boolean cancelled() {
      return cancelled;
    }

    /** PENDING, RUNNING or DONE. */
    public String state() {
      return state;
    }

    /** The rows of its result. */
    public int rowCount() {
      return rows.size();
    }

    /** How many pages of its rows tabledata.list served. */
    public int pagesServed() {
      return pagesServed.get();
    }

    /** The bytes it was estimated to process. */
    public long bytes() {
      return bytes;
    }
  }

  /** Starts the endpoint on a free loopback port over a fresh in-memory DuckDB. */
  public FakeBigQueryEndpoint(String project) throws IOException, SQLException {
    this.project = project;
    this.duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = duck.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
    }
    for (String alias : new String[] {"INT64 AS BIGINT", "FLOAT64 AS DOUBLE",
        "BYTES AS BLOB", "DATETIME AS TIMESTAMP", "BIGNUMERIC AS DECIMAL(38, 9)",
        "BOOL AS BOOLEAN", "STRING AS VARCHAR"}) {
      // A statement per type: DuckDB closes a statement after an error.
      try (Statement st = duck.createStatement()) {
        st.execute("CREATE TYPE " + alias);
      } catch (SQLException e) {
        // A name DuckDB already knows stays DuckDB's.
      }
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(http);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The root URL to give the client ({@code setHost}) or the catalog ({@code host}). */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The project the endpoint serves. */
  public String project() {
    return project;
  }

  /** Runs DuckDB SQL to set up datasets (schemas) and tables. */
  public void execute(String... sql) throws SQLException {
    synchronized (duck) {
      try (Statement st = duck.createStatement()) {
        for (String s : sql) {
          st.execute(s);
        }
      }
    }
  }

  /**
   * The DuckDB behind the endpoint, to load tables with; callers hold its monitor while
   * they use it, as the endpoint does.
   */
  public Connection duckdb() {
    return duck;
  }

  /** Jobs whose SQL matches {@code regex} stay RUNNING until cancelled; null: none. */
  public void hold(String regex) {
    hold = regex == null ? null : Pattern.compile(regex);
  }

  /** Every job received, in order, dry runs included. */
  public List<Job> jobs() {
    return List.copyOf(jobs);
  }

  /** The jobs that ran (not dry runs). */
  public List<Job> queryJobs() {
    return jobs.stream().filter(j -> !j.dryRun).toList();
  }

  /** Forgets the jobs received so far. */
  public void clear() {
    jobs.clear();
  }

  @Override public void close() throws Exception {
    server.stop(0);
    http.shutdownNow();
    runner.shutdownNow();
    runner.awaitTermination(5, TimeUnit.SECONDS);
    duck.close();
  }

  private static final Pattern DATASETS = Pattern.compile("/projects/([^/]+)/datasets");
  private static final Pattern TABLES =
      Pattern.compile("/projects/([^/]+)/datasets/([^/]+)/tables");
  private static final Pattern TABLE =
      Pattern.compile("/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");
  private static final Pattern DATA =
      Pattern.compile("/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)/data");
  private static final Pattern JOBS = Pattern.compile("/projects/([^/]+)/jobs");
  private static final Pattern JOB = Pattern.compile("/projects/([^/]+)/jobs/([^/]+)");
  private static final Pattern CANCEL = Pattern.compile("/projects/([^/]+)/jobs/([^/]+)/cancel");
  private static final Pattern RESULTS_OF = Pattern.compile("/projects/([^/]+)/queries/([^/]+)");

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      int root = path.indexOf("/bigquery/v2");
      path = root >= 0 ? path.substring(root + "/bigquery/v2".length()) : path;
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      JsonNode body = method.equals("POST") ? body(exchange) : null;
      Matcher m;
      ObjectNode out;
      try {
        if (method.equals("GET") && (m = DATASETS.matcher(path)).matches()) {
          out = datasets(m.group(1));
        } else if (method.equals("GET") && (m = TABLES.matcher(path)).matches()) {
          out = tables(m.group(1), decode(m.group(2)));
        } else if (method.equals("GET") && (m = DATA.matcher(path)).matches()) {
          out = data(decode(m.group(2)), decode(m.group(3)), query);
        } else if (method.equals("GET") && (m = TABLE.matcher(path)).matches()) {
          out = table(m.group(1), decode(m.group(2)), decode(m.group(3)));
        } else if (method.equals("POST") && (m = JOBS.matcher(path)).matches()) {
          out = insert(body);
        } else if (method.equals("POST") && (m = CANCEL.matcher(path)).matches()) {
          Job job = job(decode(m.group(2)));
          cancel(job);
          out = JSON.createObjectNode().put("kind", "bigquery#jobCancelResponse");
          out.set("job", resource(job));
        } else if (method.equals("GET") && (m = JOB.matcher(path)).matches()) {
          out = resource(job(decode(m.group(2))));
        } else if (method.equals("GET") && (m = RESULTS_OF.matcher(path)).matches()) {
          out = queryResults(job(decode(m.group(2))), query);
        } else {
          throw new Failure(404, "notFound", "no such API: " + method + " " + path);
        }
        send(exchange, 200, out);
      } catch (Failure f) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode e = error.putObject("error").put("code", f.code).put("message",
            f.getMessage());
        e.putArray("errors").addObject().put("reason", f.reason).put("message", f.getMessage())
            .put("domain", "global");
        send(exchange, f.code, error);
      }
    }
  }

  /** An API error: HTTP status, BigQuery reason and message. */
  private static final class Failure extends Exception {
    final int code;
    final String reason;

    Failure(int code, String reason, String message) {
      super(message);
      this.code = code;
      this.reason = reason;
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String p : raw.split("&")) {
        String[] kv = p.split("=", 2);
        q.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    return q;
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    byte[] bytes = in.readAllBytes();
    return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private ObjectNode datasets(String p) throws Failure {
    ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#datasetList");
    ArrayNode list = out.putArray("datasets");
    for (List<Object> row : rows("SELECT schema_name FROM duckdb_schemas() WHERE"
        + " database_name = current_database() AND NOT internal AND schema_name"
        + " NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY 1")) {
      ObjectNode d = list.addObject().put("kind", "bigquery#dataset")
          .put("id", p + ":" + row.get(0));
      d.putObject("datasetReference").put("projectId", p).put("datasetId", (String) row.get(0));
    }
    return out;
  }

  private ObjectNode tables(String p, String dataset) throws Failure {
    ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#tableList");
    ArrayNode list = out.putArray("tables");
    List<List<Object>> rows = rows("SELECT table_name, table_type FROM"
        + " information_schema.tables WHERE table_schema = ? ORDER BY 1", dataset);
    for (List<Object> row : rows) {
      ObjectNode t = list.addObject().put("kind", "bigquery#table")
          .put("id", p + ":" + dataset + "." + row.get(0))
          .put("type", "VIEW".equals(row.get(1)) ? "VIEW" : "TABLE");
      t.putObject("tableReference").put("projectId", p).put("datasetId", dataset)
          .put("tableId", (String) row.get(0));
    }
    out.put("totalItems", rows.size());
    return out;
  }

  private ObjectNode table(String p, String dataset, String table) throws Failure {
    List<List<Object>> columns = rows("SELECT column_name, data_type, is_nullable FROM"
        + " information_schema.columns WHERE table_schema = ? AND table_name = ?"
        + " ORDER BY ordinal_position", dataset, table);
    if (columns.isEmpty()) {
      throw new Failure(404, "notFound", "Not found: Table " + p + ":" + dataset + "."
          + table);
    }
    ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#table")
        .put("id", p + ":" + dataset + "." + table).put("type", "TABLE");
    out.putObject("tableReference").put("projectId", p).put("datasetId", dataset)
        .put("tableId", table);
    ArrayNode fields = out.putObject("schema").putArray("fields");
    for (List<Object> c : columns) {
      ObjectNode f = field(fields, (String) c.get(0), (String) c.get(1));
      if ("NO".equals(c.get(2)) && !f.has("mode")) {
        f.put("mode", "REQUIRED");
      }
    }
    long count = ((Number) rows("SELECT count(*) FROM " + DuckDBSqlDialect.DEFAULT
        .quoteIdentifier(dataset) + "." + DuckDBSqlDialect.DEFAULT.quoteIdentifier(table))
        .get(0).get(0)).longValue();
    out.put("numRows", Long.toString(count));
    return out;
  }

  /** Adds a schema field for a DuckDB column type. */
  private static ObjectNode field(ArrayNode fields, String name, String duckType) {
    ObjectNode f = fields.addObject().put("name", name);
    String t = duckType.toUpperCase(Locale.ROOT);
    if (t.endsWith("[]")) {
      f.put("mode", "REPEATED");
      t = t.substring(0, t.length() - 2);
    }
    f.put("type", bigQueryType(t));
    if (t.startsWith("DECIMAL(")) {
      String[] ps = t.substring(8, t.length() - 1).split(",");
      int precision = Integer.parseInt(ps[0].trim());
      int scale = Integer.parseInt(ps[1].trim());
      if (!(precision == 38 && scale == 9) && !(precision == 38 && scale == 19)) {
        f.put("precision", Integer.toString(precision)).put("scale", Integer.toString(scale));
      }
    }
    return f;
  }

  private static String bigQueryType(String duck) {
    if (duck.startsWith("DECIMAL(")) {
      String[] ps = duck.substring(8, duck.length() - 1).split(",");
      int precision = Integer.parseInt(ps[0].trim());
      int scale = Integer.parseInt(ps[1].trim());
      return scale <= 9 && precision - scale <= 29 ? "NUMERIC" : "BIGNUMERIC";
    }
    return switch (duck) {
      case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
          "INT64" -> "INTEGER";
      case "DOUBLE", "FLOAT", "FLOAT64" -> "FLOAT";
      case "BOOLEAN", "BOOL" -> "BOOLEAN";
      case "BLOB", "BYTES" -> "BYTES";
      case "DATE" -> "DATE";
      case "TIME" -> "TIME";
      case "TIMESTAMP", "DATETIME" -> "DATETIME";
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> "TIMESTAMP";
      case "JSON" -> "JSON";
      default -> duck.startsWith("STRUCT") ? "JSON" : "STRING";
    };
  }

  private ObjectNode data(String dataset, String table, Map<String, String> query)
      throws Failure {
    if (!dataset.equals(RESULTS)) {
      throw new Failure(400, "invalid", "the fake endpoint lists job results only");
    }
    Job job = job(table);
    job.pagesServed.incrementAndGet();
    ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#tableDataList");
    page(job, query, out, true);
    return out;
  }

  /** Adds rows from {@code pageToken} on, at most {@code maxResults}, and the next token. */
  private static void page(Job job, Map<String, String> query, ObjectNode out,
      boolean totalAsString) {
    int from = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken"))
        : query.containsKey("startIndex") ? Integer.parseInt(query.get("startIndex")) : 0;
    // Without maxResults BigQuery caps a page near 10 MB; the endpoint at 10,000 rows.
    int max = query.containsKey("maxResults") ? Integer.parseInt(query.get("maxResults"))
        : 10_000;
    List<JsonNode[]> rows = job.rows;
    int to = Math.min(rows.size(), from + max);
    ArrayNode list = out.putArray("rows");
    for (int i = from; i < to; i++) {
      ArrayNode f = list.addObject().putArray("f");
      for (JsonNode v : rows.get(i)) {
        f.addObject().set("v", v);
      }
    }
    out.put("totalRows", Integer.toString(rows.size()));
    if (to < rows.size()) {
      out.put("pageToken", Integer.toString(to));
    }
  }

  private Job job(String id) throws Failure {
    Job job = jobsById.get(id);
    if (job == null) {
      throw new Failure(404, "notFound", "Not found: Job " + project + ":" + id);
    }
    return job;
  }

  private ObjectNode insert(JsonNode body) throws Failure {
    JsonNode config = body.path("configuration");
    JsonNode q = config.path("query");
    String sql = q.path("query").asText();
    Map<String, String> labels = new HashMap<>();
    config.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(),
        e.getValue().asText()));
    boolean dryRun = config.path("dryRun").asBoolean(false);
    JsonNode ref = body.path("jobReference");
    String id = ref.path("jobId").asText("fake_" + java.util.UUID.randomUUID());
    Job job = new Job(id, sql, Map.copyOf(labels), dryRun, ref.path("location").asText(null));
    jobs.add(job);
    String duckSql;
    try {
      duckSql = translate(sql);
    } catch (RuntimeException e) {
      throw new Failure(400, "invalidQuery", "Syntax error: " + e.getMessage());
    }
    job.duckSql = duckSql;
    job.bytes = estimate(sql);
    if (dryRun) {
      job.state = "DONE";
      return resource(job, config);
    }
    jobsById.put(id, job);
    List<Object> parameters = new ArrayList<>();
    for (JsonNode p : q.path("queryParameters")) {
      parameters.add(parameter(p));
    }
    job.state = "RUNNING";
    runner.execute(() -> run(job, parameters));
    return resource(job, config);
  }

  private void run(Job job, List<Object> parameters) {
    Pattern h = hold;
    if (h != null && h.matcher(job.sql).find()) {
      synchronized (job) {
        while (!job.cancelled) {
          try {
            job.wait(1_000);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      return;
    }
    try {
      List<String> names = new ArrayList<>();
      ArrayNode fields = JSON.createArrayNode();
      List<JsonNode[]> rows = new ArrayList<>();
      synchronized (duck) {
        try (PreparedStatement ps = duck.prepareStatement(job.duckSql)) {
          for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            String[] types = new String[md.getColumnCount()];
            for (int i = 1; i <= md.getColumnCount(); i++) {
              names.add(md.getColumnLabel(i));
              field(fields, md.getColumnLabel(i), md.getColumnTypeName(i));
              types[i - 1] = fields.get(i - 1).path("type").asText();
            }
            while (rs.next()) {
              JsonNode[] row = new JsonNode[types.length];
              for (int i = 0; i < types.length; i++) {
                row[i] = cell(rs.getObject(i + 1), types[i]);
              }
              rows.add(row);
            }
          }
        }
      }
      job.columns = names;
      job.fields = fields;
      job.rows = rows;
    } catch (SQLException | RuntimeException e) {
      job.error = String.valueOf(e.getMessage());
    }
    if (!job.cancelled) {
      job.state = "DONE";
    }
  }

  private static JsonNode cell(Object v, String type) throws SQLException {
    if (v == null) {
      return JSON.nullNode();
    }
    if (v instanceof java.sql.Array a) {
      ArrayNode list = JSON.createArrayNode();
      for (Object e : (Object[]) a.getArray()) {
        list.addObject().set("v", cell(e, type));
      }
      return list;
    }
    String text = switch (type) {
      case "BYTES" -> Base64.getEncoder().encodeToString(v instanceof java.sql.Blob b
          ? b.getBytes(1, (int) b.length()) : (byte[]) v);
      case "NUMERIC", "BIGNUMERIC" -> ((BigDecimal) v).toPlainString();
      case "DATETIME" -> (v instanceof java.sql.Timestamp t ? t.toLocalDateTime()
          : (LocalDateTime) v).toString();
      case "TIMESTAMP" -> {
        OffsetDateTime t = v instanceof OffsetDateTime o ? o
            : ((java.sql.Timestamp) v).toLocalDateTime().atOffset(ZoneOffset.UTC);
        long micros = t.toEpochSecond() * 1_000_000L + t.getNano() / 1_000;
        yield new BigDecimal(micros).movePointLeft(6).toPlainString();
      }
      default -> v.toString();
    };
    return JSON.getNodeFactory().textNode(text);
  }

  private static Object parameter(JsonNode p) {
    String type = p.path("parameterType").path("type").asText();
    JsonNode value = p.path("parameterValue").path("value");
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    String v = value.asText();
    return switch (type) {
      case "INT64" -> Long.parseLong(v);
      case "FLOAT64" -> Double.parseDouble(v);
      case "NUMERIC", "BIGNUMERIC" -> new BigDecimal(v);
      case "BOOL" -> Boolean.parseBoolean(v);
      case "BYTES" -> Base64.getDecoder().decode(v);
      case "DATE" -> java.sql.Date.valueOf(v);
      case "TIME" -> java.sql.Time.valueOf(v);
      case "DATETIME" -> java.sql.Timestamp.valueOf(v.replace('T', ' '));
      default -> v;
    };
  }

  private void cancel(Job job) {
    synchronized (job) {
      job.cancelled = true;
      job.error = "Job execution was cancelled: User requested cancellation";
      job.state = "DONE";
      job.notifyAll();
    }
  }

  /** The job resource jobs.insert, jobs.get and jobs.cancel answer with. */
  private ObjectNode resource(Job job) {
    ObjectNode config = JSON.createObjectNode();
    config.putObject("query").put("query", job.sql).put("useLegacySql", false);
    if (job.dryRun) {
      config.put("dryRun", true);
    }
    return resource(job, config);
  }

  private ObjectNode resource(Job job, JsonNode config) {
    ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#job")
        .put("id", project + ":" + job.id);
    ObjectNode ref = out.putObject("jobReference").put("projectId", project)
        .put("jobId", job.id);
    if (job.location != null) {
      ref.put("location", job.location);
    }
    ObjectNode c = config.deepCopy();
    if (!job.dryRun) {
      c.with("query").putObject("destinationTable").put("projectId", project)
          .put("datasetId", RESULTS).put("tableId", job.id);
    }
    out.set("configuration", c);
    ObjectNode status = out.putObject("status").put("state", job.state);
    if (job.error != null) {
      String reason = job.cancelled ? "stopped" : "invalidQuery";
      status.putObject("errorResult").put("reason", reason).put("message", job.error);
      status.putArray("errors").addObject().put("reason", reason).put("message", job.error);
    }
    long now = System.currentTimeMillis();
    ObjectNode stats = out.putObject("statistics").put("creationTime", Long.toString(now))
        .put("startTime", Long.toString(now))
        .put("totalBytesProcessed", Long.toString(job.bytes));
    if ("DONE".equals(job.state)) {
      stats.put("endTime", Long.toString(now));
    }
    stats.putObject("query").put("totalBytesProcessed", Long.toString(job.bytes))
        .put("statementType", "SELECT");
    return out;
  }

  private ObjectNode queryResults(Job job, Map<String, String> query) {
    ObjectNode out = JSON.createObjectNode().put("kind", "bigquery#getQueryResultsResponse");
    out.putObject("jobReference").put("projectId", project).put("jobId", job.id);
    boolean done = "DONE".equals(job.state);
    out.put("jobComplete", done);
    if (done && job.error == null) {
      out.putObject("schema").set("fields", job.fields);
      page(job, query, out, true);
    }
    return out;
  }

  /** GoogleSQL as DuckDB SQL: parsed in BigQuery mode, printed in DuckDB's dialect. */
  static String translate(String googleSql) {
    try {
      SqlNode node = parser(googleSql).parseQuery().accept(new SqlShuttle() {
        @Override public SqlNode visit(SqlLiteral literal) {
          return literal instanceof SqlCharStringLiteral text
              ? SqlLiteral.createCharString(unescape(text.getValueAs(String.class)),
                  literal.getParserPosition())
              : literal;
        }

        @Override public SqlNode visit(SqlIdentifier id) {
          return new SqlIdentifier(id.names.stream().map(FakeBigQueryEndpoint::unescape)
              .toList(), id.getParserPosition());
        }

        /**
         * GoogleSQL's LIKE reads {@code \\} as an escape, DuckDB's only when told; its
         * {@code DATE_TRUNC(d, MONTH)} is DuckDB's {@code date_trunc('month', d)}; an ORDER
         * BY key without NULLS FIRST or LAST puts NULLs first ascending and last descending
         * in GoogleSQL, last ascending in DuckDB.
         */
        @Override public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
          if (call.operandCount() == 2 && call.getOperator().getName().equalsIgnoreCase("DIV")) {
            // GoogleSQL's DIV truncates toward zero; DuckDB's / on integers is a DOUBLE.
            SqlNode quotient = org.apache.calcite.sql.fun.SqlStdOperatorTable.DIVIDE.createCall(
                call.getParserPosition(), call.operand(0).accept(this),
                call.operand(1).accept(this));
            SqlNode trunc = new org.apache.calcite.sql.SqlUnresolvedFunction(
                new SqlIdentifier("trunc", call.getParserPosition()), null, null, null, null,
                org.apache.calcite.sql.SqlFunctionCategory.USER_DEFINED_FUNCTION)
                .createCall(call.getParserPosition(), quotient);
            return org.apache.calcite.sql.fun.SqlStdOperatorTable.CAST.createCall(
                call.getParserPosition(), trunc, new org.apache.calcite.sql.SqlDataTypeSpec(
                    new org.apache.calcite.sql.SqlBasicTypeNameSpec(
                        org.apache.calcite.sql.type.SqlTypeName.BIGINT,
                        call.getParserPosition()), call.getParserPosition()));
          }
          if (call.operandCount() == 2
              && call.getOperator().getName().toUpperCase(Locale.ROOT).endsWith("_TRUNC")
              && call.operand(1) instanceof org.apache.calcite.sql.SqlIntervalQualifier unit) {
            org.apache.calcite.sql.SqlCall c = call;
            c.setOperand(0, c.operand(0).accept(this));
            SqlNode trunc = new org.apache.calcite.sql.SqlUnresolvedFunction(
                new SqlIdentifier("date_trunc", c.getParserPosition()), null, null, null, null,
                org.apache.calcite.sql.SqlFunctionCategory.USER_DEFINED_FUNCTION)
                .createCall(c.getParserPosition(), SqlLiteral.createCharString(
                    unit.timeUnitRange.startUnit.name().toLowerCase(Locale.ROOT),
                    c.getParserPosition()), c.operand(0));
            return c.getOperator().getName().equalsIgnoreCase("DATE_TRUNC")
                ? org.apache.calcite.sql.fun.SqlStdOperatorTable.CAST.createCall(
                    c.getParserPosition(), trunc, new org.apache.calcite.sql.SqlDataTypeSpec(
                        new org.apache.calcite.sql.SqlBasicTypeNameSpec(
                            org.apache.calcite.sql.type.SqlTypeName.DATE,
                            c.getParserPosition()), c.getParserPosition()))
                : trunc;
          }
          SqlNode visited = super.visit(call);
          if (visited instanceof org.apache.calcite.sql.SqlSelect select
              && select.getOrderList() != null && !select.getOrderList().isEmpty()) {
            select.setOrderBy(nullsAsGoogleSql(select.getOrderList()));
          }
          if (visited instanceof org.apache.calcite.sql.SqlOrderBy orderBy
              && !orderBy.orderList.isEmpty()) {
            return new org.apache.calcite.sql.SqlOrderBy(orderBy.getParserPosition(),
                orderBy.query, nullsAsGoogleSql(orderBy.orderList), orderBy.offset,
                orderBy.fetch);
          }
          if (visited instanceof org.apache.calcite.sql.SqlCall c
              && c.getKind() == org.apache.calcite.sql.SqlKind.LIKE && c.operandCount() == 2) {
            return c.getOperator().createCall(c.getFunctionQuantifier(),
                c.getParserPosition(), c.operand(0), c.operand(1),
                SqlLiteral.createCharString("\\", c.getParserPosition()));
          }
          return visited;
        }
      });
      return node.toSqlString(DUCKDB).getSql();
    } catch (org.apache.calcite.sql.parser.SqlParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static org.apache.calcite.sql.SqlNodeList nullsAsGoogleSql(
      org.apache.calcite.sql.SqlNodeList keys) {
    org.apache.calcite.sql.SqlNodeList out =
        new org.apache.calcite.sql.SqlNodeList(keys.getParserPosition());
    for (SqlNode key : keys) {
      org.apache.calcite.sql.SqlKind kind = key.getKind();
      if (kind == org.apache.calcite.sql.SqlKind.NULLS_FIRST
          || kind == org.apache.calcite.sql.SqlKind.NULLS_LAST) {
        out.add(key);
      } else if (kind == org.apache.calcite.sql.SqlKind.DESCENDING) {
        out.add(org.apache.calcite.sql.fun.SqlStdOperatorTable.NULLS_LAST.createCall(
            key.getParserPosition(), key));
      } else {
        out.add(org.apache.calcite.sql.fun.SqlStdOperatorTable.NULLS_FIRST.createCall(
            key.getParserPosition(), key));
      }
    }
    return out;
  }

  /**
   * The value of a GoogleSQL quoted string or identifier, whose text Calcite's parser keeps
   * with its backslash escapes: {@code \\n}, {@code \\r}, {@code \\t}, {@code \\xHH},
   * and a backslash before any other character standing for that character.
   */
  static String unescape(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        b.append(c);
        continue;
      }
      char e = text.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'x', 'X' -> {
          b.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  private static SqlParser parser(String sql) {
    return SqlParser.create(sql, SqlParser.config().withQuoting(Quoting.BACK_TICK_BACKSLASH)
        .withCharLiteralStyles(org.apache.calcite.config.Lex.BIG_QUERY.charLiteralStyles)
        .withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
        .withConformance(SqlConformanceEnum.BIG_QUERY));
  }

  /**
   * What a dry run reports: for each table the statement names, 8 bytes per row for each
   * of its columns the statement mentions (at least one).
   */
  private long estimate(String googleSql) {
    SqlNode node;
    try {
      node = parser(googleSql).parseQuery();
    } catch (org.apache.calcite.sql.parser.SqlParseException e) {
      return 0;
    }
    Set<List<String>> names = new LinkedHashSet<>();
    node.accept(new SqlShuttle() {
      @Override public SqlNode visit(SqlIdentifier id) {
        names.add(id.names);
        return id;
      }
    });
    Set<String> mentioned = new java.util.HashSet<>();
    names.forEach(n -> mentioned.add(n.get(n.size() - 1)));
    long bytes = 0;
    for (List<String> n : names) {
      if (n.size() != 2) {
        continue;
      }
      try {
        List<List<Object>> columns = rows("SELECT column_name FROM information_schema.columns"
            + " WHERE table_schema = ? AND table_name = ?", n.get(0), n.get(1));
        if (columns.isEmpty()) {
          continue;
        }
        long read = columns.stream().filter(c -> mentioned.contains((String) c.get(0))).count();
        long count = ((Number) rows("SELECT count(*) FROM "
            + DuckDBSqlDialect.DEFAULT.quoteIdentifier(n.get(0)) + "."
            + DuckDBSqlDialect.DEFAULT.quoteIdentifier(n.get(1))).get(0).get(0)).longValue();
        bytes += 8 * count * Math.max(1, read);
      } catch (Failure e) {
        // Not a table.
      }
    }
    return bytes;
  }

  private List<List<Object>> rows(String sql, Object... args) throws Failure {
    synchronized (duck) {
      try (PreparedStatement ps = duck.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        List<List<Object>> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              row.add(rs.getObject(i));
            }
            out.add(row);
          }
        }
        return out;
      } catch (SQLException e) {
        throw new Failure(400, "invalidQuery", String.valueOf(e.getMessage()));
      }
    }
  }
}
