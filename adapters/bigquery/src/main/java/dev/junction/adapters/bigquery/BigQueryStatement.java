package dev.junction.adapters.bigquery;

import dev.junction.spi.QueryScope;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A statement of the facade: each execution is one BigQuery query job.
 *
 * <p>An execution (1) dry-runs the statement when the running Junction query has a scan
 * budget ({@link QueryScope#scanGuard()}), which refuses it before it costs anything;
 * (2) inserts the job under an id chosen here, with labels naming the Junction query id
 * and user and the bound values as positional query parameters; (3) waits for it in
 * short polls ({@code jobs.get}), so a {@link #cancel} from another thread or the query
 * timeout is seen within one poll and cancels the job in BigQuery ({@code jobs.cancel});
 * (4) reads the result page by page ({@link JobRows}), each page of the data source's page
 * size ({@code tabledata.list} with the page token; the client library's own next page
 * would drop the size).
 */
final class BigQueryStatement extends Facade {
  private static final Logger LOG = LoggerFactory.getLogger(BigQueryStatement.class);
  /** Label keys on every job. */
  static final String QUERY_ID_LABEL = "junction-query-id";
  static final String USER_LABEL = "junction-user";

  private final BigQueryConnection connection;
  private final String preparedSql;
  private final List<Object> parameters = new ArrayList<>();
  private Statement self;
  private int timeoutSeconds;
  private int maxRows;
  private ResultSet resultSet;
  private volatile JobId job;
  private volatile boolean cancelled;
  /** Whether the job {@link #job} may still run in BigQuery. */
  private volatile boolean running;
  private volatile boolean closed;

  BigQueryStatement(BigQueryConnection connection, String preparedSql) {
    this.connection = connection;
    this.preparedSql = preparedSql;
  }

  void self(Statement statement) {
    this.self = statement;
  }

  @Override Object handle(Object proxy, String method, Object[] args) throws Exception {
    switch (method) {
      case "execute", "executeQuery" -> {
        String sql = args.length == 0 ? preparedSql : (String) args[0];
        if (sql == null || (args.length > 1)) {
          return UNHANDLED;
        }
        resultSet = run(sql);
        return method.equals("execute") ? (Object) true : resultSet;
      }
      case "getResultSet" -> {
        return resultSet;
      }
      case "getUpdateCount" -> {
        return -1;
      }
      case "getMoreResults" -> {
        return false;
      }
      case "setQueryTimeout" -> {
        timeoutSeconds = (Integer) args[0];
        return null;
      }
      case "getQueryTimeout" -> {
        return timeoutSeconds;
      }
      case "setMaxRows" -> {
        maxRows = (Integer) args[0];
        return null;
      }
      case "getMaxRows" -> {
        return maxRows;
      }
      case "setFetchSize", "setFetchDirection", "setEscapeProcessing", "setPoolable",
          "closeOnCompletion" -> {
        return null;
      }
      case "getFetchSize" -> {
        return connection.dataSource().settings().pageSize();
      }
      case "getConnection" -> {
        return connection.self();
      }
      case "cancel" -> {
        cancel();
        return null;
      }
      case "close" -> {
        close();
        return null;
      }
      case "isClosed" -> {
        return closed;
      }
      case "clearParameters" -> {
        parameters.clear();
        return null;
      }
      default -> {
        if (preparedSql != null && method.startsWith("set") && args.length >= 2
            && args[0] instanceof Integer index) {
          bind(index, method.equals("setNull") ? null : args[1]);
          return null;
        }
        return UNHANDLED;
      }
    }
  }

  private void bind(int index, Object value) {
    while (parameters.size() < index) {
      parameters.add(null);
    }
    parameters.set(index - 1, value);
  }

  /** Runs {@code sql} as a query job and returns its result, read page by page. */
  private ResultSet run(String sql) throws SQLException {
    if (closed) {
      throw new SQLException("statement is closed", "HY010");
    }
    BigQueryDataSource ds = connection.dataSource();
    BigQuery client = ds.client();
    BigQueryDataSource.Settings settings = ds.settings();
    List<QueryParameterValue> values = new ArrayList<>();
    for (Object p : parameters) {
      values.add(BigQueryTypes.parameter(p));
    }
    QueryScope scope = QueryScope.current();
    QueryJobConfiguration.Builder config = QueryJobConfiguration.newBuilder(sql)
        .setUseLegacySql(false)
        .setPositionalParameters(values)
        .setLabels(labels(scope));
    if (settings.maximumBytesBilled() > 0) {
      config.setMaximumBytesBilled(settings.maximumBytesBilled());
    }
    long deadline = timeoutSeconds > 0
        ? System.nanoTime() + timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
    try {
      if (scope != null && scope.scanGuard() != null) {
        long bytes = estimate(client, config.build(), settings);
        scope.scanGuard().scanning(ds.source(), bytes);
      }
      JobId id = JobId.newBuilder().setProject(settings.project())
          .setLocation(settings.location())
          .setJob("junction_" + UUID.randomUUID().toString().replace("-", "")).build();
      job = id;
      if (cancelled) {
        throw new SQLException("query cancelled", "57014");
      }
      running = true;
      Job created = client.create(JobInfo.newBuilder(config.build()).setJobId(id).build());
      if (cancelled) {
        cancelJob(id);
      }
      waitFor(client, id, deadline, settings);
      running = false;
      TableResult first = created.getQueryResults(
          BigQuery.QueryResultsOption.pageSize(settings.pageSize()));
      Job done = client.getJob(id);
      TableId results = done == null ? null
          : ((QueryJobConfiguration) done.getConfiguration()).getDestinationTable();
      Schema schema = first.getSchema();
      JobRows.Pages pages = results == null ? null : token -> client.listTableData(results,
          schema, BigQuery.TableDataListOption.pageSize(settings.pageSize()),
          BigQuery.TableDataListOption.pageToken(token));
      return BigQueryResultSet.of(new JobRows(ds.source(), first, pages), self);
    } catch (BigQueryException e) {
      if (cancelled) {
        throw new SQLException("query cancelled", "57014", e);
      }
      throw BigQueryErrors.toSql(e, ds.source());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new SQLException("query interrupted", "57014", e);
    }
  }

  /** The bytes BigQuery says the query will process: a dry run, which is free. */
  static long estimate(BigQuery client, QueryJobConfiguration config,
      BigQueryDataSource.Settings settings) {
    Job dry = client.create(JobInfo.newBuilder(config.toBuilder().setDryRun(true)
        .setUseQueryCache(false).build())
        .setJobId(JobId.newBuilder().setRandomJob().setProject(settings.project())
            .setLocation(settings.location()).build()).build());
    JobStatistics.QueryStatistics stats = dry.getStatistics();
    Long bytes = stats == null ? null : stats.getTotalBytesProcessed();
    return bytes == null ? 0 : bytes;
  }

  /**
   * Polls the job ({@code jobs.get}) until it is done, first after 20 ms and then at
   * doubling intervals up to the data source's poll interval. A {@link #cancel} wakes the
   * wait at once; the deadline is acted on when it passes.
   */
  private void waitFor(BigQuery client, JobId id, long deadline,
      BigQueryDataSource.Settings settings) throws SQLException, InterruptedException {
    long pause = 20;
    while (true) {
      if (cancelled) {
        cancelJob(id);
        throw new SQLException("query cancelled", "57014");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        cancelJob(id);
        throw new SQLTimeoutException("query timed out after " + timeoutSeconds + " s",
            "57014");
      }
      Job current = client.getJob(id, BigQuery.JobOption.fields(BigQuery.JobField.STATUS));
      if (current == null) {
        throw new SQLException("job " + id.getJob() + " vanished", "58000");
      }
      if (current.isDone()) {
        if (current.getStatus().getError() != null) {
          throw BigQueryErrors.toSql(new BigQueryException(
              current.getStatus().getExecutionErrors() == null
                  ? List.of(current.getStatus().getError())
                  : current.getStatus().getExecutionErrors()),
              connection.dataSource().source());
        }
        return;
      }
      synchronized (this) {
        if (!cancelled) {
          wait(Math.max(1, Math.min(pause, left / 1_000_000L)));
        }
      }
      pause = Math.min(pause * 2, settings.poll().toMillis());
    }
  }

  /**
   * The job's labels: the Junction query id and user, lower-cased with other characters
   * than letters, digits, {@code _} and {@code -} replaced by {@code _}, at most 63
   * characters, as BigQuery requires of label values.
   */
  static Map<String, String> labels(QueryScope scope) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("junction", "true");
    if (scope != null && scope.queryId() != null) {
      labels.put(QUERY_ID_LABEL, labelValue(scope.queryId()));
    }
    if (scope != null && scope.user() != null) {
      labels.put(USER_LABEL, labelValue(scope.user()));
    }
    return labels;
  }

  static String labelValue(String value) {
    String v = value.toLowerCase(Locale.ROOT).replaceAll("[^\\p{Ll}\\p{Lo}\\p{N}_-]", "_");
    return v.length() > 63 ? v.substring(0, 63) : v;
  }

  /** Stops the running job, from any thread; harmless when none runs. */
  private void cancel() {
    cancelled = true;
    synchronized (this) {
      notifyAll();
    }
    JobId id = job;
    if (id != null) {
      cancelJob(id);
    }
  }

  private void cancelJob(JobId id) {
    try {
      connection.dataSource().client().cancel(id);
    } catch (BigQueryException e) {
      LOG.debug("source {}: cancelling job {} failed: {}", connection.dataSource().source(),
          id.getJob(), e.getMessage());
    }
  }

  /** Closes the statement; a job still running is cancelled. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    JobId id = job;
    if (running && id != null) {
      cancelJob(id);
    }
    ResultSet rs = resultSet;
    if (rs != null) {
      try {
        rs.close();
      } catch (SQLException e) {
        LOG.debug("closing a result set: {}", e.getMessage());
      }
    }
    connection.forget(this);
  }

  @Override String describe() {
    return "BigQueryStatement{" + connection.dataSource().source() + "}";
  }
}
