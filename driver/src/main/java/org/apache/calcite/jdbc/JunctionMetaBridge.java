package org.apache.calcite.jdbc;

import org.apache.calcite.avatica.AvaticaUtils;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.linq4j.Linq4j;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lets Junction's metadata extend {@link CalciteMetaImpl}, whose constructor takes the
 * package-private connection class, and build result sets from row objects the way
 * Calcite does internally. This is the only class Junction's driver places in a Calcite
 * package.
 */
public abstract class JunctionMetaBridge extends CalciteMetaImpl {

  /** Creates metadata for a Calcite connection. */
  protected JunctionMetaBridge(CalciteConnection connection) {
    super((CalciteConnectionImpl) connection, CalciteMetaTableFactoryImpl.INSTANCE,
        CalciteMetaColumnFactoryImpl.INSTANCE);
  }

  /**
   * A result set whose rows are objects of {@code clazz}, whose public fields are named
   * after the JDBC column names in camel case (as Avatica's {@code Meta*} classes are).
   */
  protected MetaResultSet rows(Class<?> clazz, List<String> names, List<?> rows) {
    List<ColumnMetaData> columns = new ArrayList<>(names.size());
    List<Field> fields = new ArrayList<>(names.size());
    List<String> fieldNames = new ArrayList<>(names.size());
    for (String name : names) {
      String fieldName = AvaticaUtils.toCamelCase(name);
      Field field;
      try {
        field = clazz.getField(fieldName);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(clazz + " has no field " + fieldName, e);
      }
      columns.add(columnMetaData(name, columns.size(), field.getType(), false));
      fields.add(field);
      fieldNames.add(fieldName);
    }
    @SuppressWarnings("unchecked")
    Iterable<Object> iterable = (Iterable<Object>) (Iterable<?>) Linq4j.asEnumerable(rows);
    return createResultSet(Collections.emptyMap(), columns,
        CursorFactory.record(clazz, fields, fieldNames), new Frame(0, true, iterable));
  }
}
