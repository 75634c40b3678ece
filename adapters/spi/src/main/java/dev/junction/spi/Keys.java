package dev.junction.spi;

/** Catalog facts about keys, indexes and defaults, as the source's own metadata reports them. */
public final class Keys {
  private Keys() {
  }

  /**
   * One column of a primary key.
   *
   * @param schema remote schema
   * @param table table name
   * @param column column name
   * @param sequence 1-based position in the key
   * @param keyName constraint name, or null
   */
  public record KeyColumn(String schema, String table, String column, int sequence,
      String keyName) {
  }

  /**
   * One column pair of a foreign key.
   *
   * @param pkSchema referenced schema
   * @param pkTable referenced table
   * @param pkColumn referenced column
   * @param fkSchema referencing schema
   * @param fkTable referencing table
   * @param fkColumn referencing column
   * @param sequence 1-based position in the key
   * @param updateRule a {@link java.sql.DatabaseMetaData} importedKey* constant
   * @param deleteRule a {@link java.sql.DatabaseMetaData} importedKey* constant
   * @param fkName constraint name, or null
   * @param pkName referenced key name, or null
   */
  public record ForeignKeyColumn(String pkSchema, String pkTable, String pkColumn,
      String fkSchema, String fkTable, String fkColumn, int sequence, int updateRule,
      int deleteRule, String fkName, String pkName) {
  }

  /**
   * One column of an index.
   *
   * @param schema remote schema
   * @param table table name
   * @param nonUnique whether the index allows duplicates
   * @param indexName index name
   * @param ordinal 1-based position in the index
   * @param column column name, or null for an expression index
   * @param ascending true, false, or null if unknown
   */
  public record IndexColumn(String schema, String table, boolean nonUnique,
      String indexName, int ordinal, String column, Boolean ascending) {
  }

  /**
   * How a source fills a column that an insert leaves out.
   *
   * @param defaultValue the default as the source writes it ({@code nextval('s')},
   *     {@code 'x'}), or null
   * @param autoIncrement whether the source numbers the column itself (serial, identity,
   *     AUTO_INCREMENT, a sequence default)
   * @param generated whether the column is computed from others
   */
  public record ColumnDefault(String defaultValue, boolean autoIncrement, boolean generated) {
  }
}
