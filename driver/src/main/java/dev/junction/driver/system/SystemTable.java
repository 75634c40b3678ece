package dev.junction.driver.system;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;

import java.util.List;

/**
 * One table of the {@code junction} system schema. Adding a table means one class
 * implementing this and one line in {@link SystemSchema#TABLES}.
 */
public interface SystemTable {
  /** The table's name in the {@code junction} schema, lower case. */
  String name();

  /** The table's columns. */
  RelDataType rowType(RelDataTypeFactory types);

  /** The rows the caller may see now, each an array of values in column order. */
  List<Object[]> rows(SystemContext context);
}
