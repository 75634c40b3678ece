package dev.junction.adapters.bigquery;

import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.TableResult;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A finished job's result, read one page at a time: only the current page is held, and
 * the next is fetched ({@code tabledata.list} with the page token and the page size) when
 * it is used up.
 */
final class JobRows implements Rows {
  private final String source;
  private final List<String> names = new ArrayList<>();
  private final List<StandardSQLTypeName> types = new ArrayList<>();
  private final Pages pages;
  private TableResult page;
  private Iterator<FieldValueList> rows;
  private FieldValueList row;
  private boolean closed;

  /** Fetches the page a token names. */
  @FunctionalInterface
  interface Pages {
    TableResult fetch(String pageToken);
  }

  /**
   * The rows of {@code first} and the pages after it, fetched with {@code pages}, or with
   * the client's own next page when null.
   */
  JobRows(String source, TableResult first, Pages pages) {
    this.source = source;
    this.page = first;
    this.pages = pages;
    FieldList fields = first.getSchema() == null ? null : first.getSchema().getFields();
    if (fields != null) {
      for (Field f : fields) {
        names.add(f.getName());
        types.add(BigQueryTypes.type(f));
      }
    }
    this.rows = first.getValues().iterator();
  }

  @Override public List<String> names() {
    return names;
  }

  @Override public int jdbcType(int i) {
    return BigQueryTypes.jdbcType(types.get(i));
  }

  @Override public String typeName(int i) {
    return types.get(i).name();
  }

  @Override public boolean next() throws SQLException {
    while (!closed) {
      if (rows.hasNext()) {
        row = rows.next();
        return true;
      }
      if (!page.hasNextPage()) {
        break;
      }
      try {
        page = pages != null ? pages.fetch(page.getNextPageToken()) : page.getNextPage();
      } catch (BigQueryException e) {
        throw BigQueryErrors.toSql(e, source);
      }
      rows = page.getValues().iterator();
    }
    row = null;
    return false;
  }

  @Override public Object get(int i) {
    FieldValue v = row.get(i);
    return BigQueryTypes.value(types.get(i), v);
  }

  @Override public void close() {
    closed = true;
    rows = java.util.Collections.emptyIterator();
  }
}
