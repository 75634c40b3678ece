package dev.junction.adapters.bigquery;

import com.google.api.gax.paging.Page;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC connection of the facade: statements ({@link BigQueryStatement}) and the
 * metadata Junction reads (datasets as schemas, tables and views). It holds nothing open
 * in BigQuery; closing it closes its statements, which cancels their running jobs.
 */
final class BigQueryConnection extends Facade {
  private final BigQueryDataSource dataSource;
  private final List<BigQueryStatement> statements = new ArrayList<>();
  private Connection self;
  private volatile boolean closed;

  private BigQueryConnection(BigQueryDataSource dataSource) {
    this.dataSource = dataSource;
  }

  static Connection open(BigQueryDataSource dataSource) {
    BigQueryConnection handler = new BigQueryConnection(dataSource);
    handler.self = proxy(Connection.class, handler);
    return handler.self;
  }

  BigQueryDataSource dataSource() {
    return dataSource;
  }

  @Override Object handle(Object proxy, String method, Object[] args) throws Exception {
    switch (method) {
      case "createStatement" -> {
        return statement(Statement.class, null);
      }
      case "prepareStatement" -> {
        if (args.length != 1) {
          return UNHANDLED;
        }
        return statement(PreparedStatement.class, (String) args[0]);
      }
      case "getMetaData" -> {
        checkOpen();
        return proxy(DatabaseMetaData.class, new MetaData());
      }
      case "close" -> {
        close();
        return null;
      }
      case "isClosed" -> {
        return closed;
      }
      case "isValid" -> {
        return !closed;
      }
      case "getAutoCommit", "isReadOnly" -> {
        return true;
      }
      case "setAutoCommit", "setReadOnly", "commit", "rollback", "setTransactionIsolation",
          "setHoldability", "setClientInfo", "setNetworkTimeout", "setSchema",
          "setCatalog" -> {
        return null;
      }
      case "getTransactionIsolation" -> {
        return Connection.TRANSACTION_NONE;
      }
      case "getHoldability" -> {
        return ResultSet.CLOSE_CURSORS_AT_COMMIT;
      }
      case "getCatalog" -> {
        return dataSource.settings().project();
      }
      case "getSchema" -> {
        return null;
      }
      case "getNetworkTimeout" -> {
        return 0;
      }
      default -> {
        return UNHANDLED;
      }
    }
  }

  private <T extends Statement> T statement(Class<T> iface, String sql) throws SQLException {
    checkOpen();
    BigQueryStatement handler = new BigQueryStatement(this, sql);
    T statement = proxy(iface, handler);
    handler.self(statement);
    synchronized (statements) {
      statements.add(handler);
    }
    return statement;
  }

  void forget(BigQueryStatement statement) {
    synchronized (statements) {
      statements.remove(statement);
    }
  }

  Connection self() {
    return self;
  }

  private void close() {
    closed = true;
    List<BigQueryStatement> open;
    synchronized (statements) {
      open = new ArrayList<>(statements);
      statements.clear();
    }
    open.forEach(BigQueryStatement::close);
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("connection is closed", "08003");
    }
  }

  @Override String describe() {
    return "BigQueryConnection{" + dataSource.source() + "}";
  }

  /** Lists datasets ({@code getSchemas}) and their tables ({@code getTables}). */
  private final class MetaData extends Facade {
    @Override Object handle(Object proxy, String method, Object[] args) throws Exception {
      switch (method) {
        case "getSchemas" -> {
          List<Object[]> rows = new ArrayList<>();
          for (String dataset : datasets()) {
            rows.add(new Object[] {dataset, dataSource.settings().project()});
          }
          return ListRows.resultSet(List.of("TABLE_SCHEM", "TABLE_CATALOG"), rows);
        }
        case "getTables" -> {
          return tables((String) args[1]);
        }
        case "getPrimaryKeys", "getImportedKeys", "getExportedKeys" -> {
          // BigQuery's key constraints are not enforced; none are reported.
          return ListRows.resultSet(List.of("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME",
              "PKCOLUMN_NAME", "KEY_SEQ", "PK_NAME", "COLUMN_NAME"), List.of());
        }
        case "getSearchStringEscape" -> {
          return "";
        }
        case "getIdentifierQuoteString" -> {
          return "`";
        }
        case "getDatabaseProductName" -> {
          return "Google BigQuery";
        }
        case "getDatabaseProductVersion" -> {
          return "2";
        }
        case "getConnection" -> {
          return self;
        }
        case "isReadOnly" -> {
          return true;
        }
        default -> {
          return UNHANDLED;
        }
      }
    }

    @Override String describe() {
      return "BigQueryMetaData{" + dataSource.source() + "}";
    }
  }

  /** The datasets of the source's project, by name. */
  List<String> datasets() throws SQLException {
    BigQuery client = dataSource.client();
    List<String> names = new ArrayList<>();
    try {
      Page<Dataset> page = client.listDatasets(dataSource.settings().project(),
          BigQuery.DatasetListOption.pageSize(1_000));
      for (Dataset d : page.iterateAll()) {
        names.add(d.getDatasetId().getDataset());
      }
    } catch (BigQueryException e) {
      throw BigQueryErrors.toSql(e, dataSource.source());
    }
    return names;
  }

  /**
   * The tables and views of one dataset as {@code getTables} rows: TABLE_NAME, TABLE_TYPE
   * ({@code TABLE}, {@code VIEW}, {@code MATERIALIZED VIEW}, {@code EXTERNAL}, ...) and
   * REMARKS (null: a listing carries no descriptions).
   */
  private ResultSet tables(String dataset) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    if (dataset != null) {
      try {
        Page<Table> page = dataSource.client().listTables(
            DatasetId.of(dataSource.settings().project(), dataset),
            BigQuery.TableListOption.pageSize(1_000));
        for (Table t : page.iterateAll()) {
          TableDefinition def = t.getDefinition();
          String type = def == null || def.getType() == null ? "TABLE"
              : def.getType().name().replace('_', ' ');
          rows.add(new Object[] {dataSource.settings().project(), dataset,
              t.getTableId().getTable(), type, null});
        }
      } catch (BigQueryException e) {
        throw BigQueryErrors.toSql(e, dataSource.source());
      }
    }
    return ListRows.resultSet(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE",
        "REMARKS"), rows);
  }
}
