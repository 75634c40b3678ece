package dev.junction.driver;

import java.util.List;

/**
 * Row classes of the DatabaseMetaData result sets Junction answers itself. Public
 * fields are named after the JDBC column names in camel case, which is how Avatica maps
 * them to columns.
 */
final class MetadataRows {
  private MetadataRows() {
  }

  static final List<String> PRIMARY_KEY_COLUMNS = List.of("TABLE_CAT", "TABLE_SCHEM",
      "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
  static final List<String> FOREIGN_KEY_COLUMNS = List.of("PKTABLE_CAT", "PKTABLE_SCHEM",
      "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME",
      "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME",
      "DEFERRABILITY");
  static final List<String> INDEX_COLUMNS = List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME",
      "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE", "ORDINAL_POSITION",
      "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY", "PAGES", "FILTER_CONDITION");

  static final List<String> FUNCTION_COLUMNS = List.of("FUNCTION_CAT", "FUNCTION_SCHEM",
      "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE", "SPECIFIC_NAME");
  static final List<String> TYPE_INFO_COLUMNS = List.of("TYPE_NAME", "DATA_TYPE", "PRECISION",
      "LITERAL_PREFIX", "LITERAL_SUFFIX", "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE",
      "SEARCHABLE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE", "AUTO_INCREMENT",
      "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE", "SQL_DATA_TYPE", "SQL_DATETIME_SUB",
      "NUM_PREC_RADIX");

  /** A row of getFunctions: a built-in function, listed under no catalog or schema. */
  public static final class FunctionRow {
    public final String functionCat = null;
    public final String functionSchem = null;
    public final String functionName;
    public final String remarks;
    public final short functionType;
    public final String specificName;

    FunctionRow(String functionName, String remarks, short functionType) {
      this.functionName = functionName;
      this.remarks = remarks;
      this.functionType = functionType;
      this.specificName = functionName;
    }
  }

  /** A row of getTypeInfo. */
  public static final class TypeInfoRow {
    public final String typeName;
    public final int dataType;
    public final Integer precision;
    public final String literalPrefix;
    public final String literalSuffix;
    public final String createParams;
    public final short nullable = (short) java.sql.DatabaseMetaData.typeNullable;
    public final boolean caseSensitive;
    public final short searchable = (short) java.sql.DatabaseMetaData.typeSearchable;
    public final boolean unsignedAttribute = false;
    public final boolean fixedPrecScale;
    public final boolean autoIncrement = false;
    public final String localTypeName;
    public final Short minimumScale;
    public final Short maximumScale;
    public final Integer sqlDataType = null;
    public final Integer sqlDatetimeSub = null;
    public final Integer numPrecRadix;

    @SuppressWarnings("checkstyle:ParameterNumber")
    TypeInfoRow(String typeName, int dataType, Integer precision, String literalPrefix,
        String literalSuffix, String createParams, boolean caseSensitive,
        boolean fixedPrecScale, Short minimumScale, Short maximumScale, Integer numPrecRadix) {
      this.typeName = typeName;
      this.dataType = dataType;
      this.precision = precision;
      this.literalPrefix = literalPrefix;
      this.literalSuffix = literalSuffix;
      this.createParams = createParams;
      this.caseSensitive = caseSensitive;
      this.fixedPrecScale = fixedPrecScale;
      this.localTypeName = typeName;
      this.minimumScale = minimumScale;
      this.maximumScale = maximumScale;
      this.numPrecRadix = numPrecRadix;
    }
  }

  /** A row of getCatalogs. */
  public static final class CatalogRow {
    public final String tableCat;

    CatalogRow(String tableCat) {
      this.tableCat = tableCat;
    }
  }

  /** A row of getSchemas. */
  public static final class SchemaRow {
    public final String tableSchem;
    public final String tableCatalog;

    SchemaRow(String tableCatalog, String tableSchem) {
      this.tableSchem = tableSchem;
      this.tableCatalog = tableCatalog;
    }
  }

  /** A row of getTables. */
  public static final class TableRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String tableType;
    public final String remarks;
    public final String typeCat = null;
    public final String typeSchem = null;
    public final String typeName = null;
    public final String selfReferencingColName = null;
    public final String refGeneration = null;

    TableRow(String tableCat, String tableSchem, String tableName, String tableType,
        String remarks) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.tableType = tableType;
      this.remarks = remarks;
    }
  }

  /** A row of getColumns. */
  public static final class ColumnRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String columnName;
    public final int dataType;
    public final String typeName;
    public final Integer columnSize;
    public final Integer bufferLength = null;
    public final Integer decimalDigits;
    public final Integer numPrecRadix;
    public final int nullable;
    public final String remarks;
    public final String columnDef;
    public final Integer sqlDataType = null;
    public final Integer sqlDatetimeSub = null;
    public final Integer charOctetLength;
    public final int ordinalPosition;
    public final String isNullable;
    public final String scopeCatalog = null;
    public final String scopeSchema = null;
    public final String scopeTable = null;
    public final Short sourceDataType = null;
    public final String isAutoincrement;
    public final String isGeneratedcolumn;

    @SuppressWarnings("checkstyle:ParameterNumber")
    ColumnRow(String tableCat, String tableSchem, String tableName, String columnName,
        int dataType, String typeName, Integer columnSize, Integer decimalDigits,
        Integer numPrecRadix, int nullable, String remarks, Integer charOctetLength,
        int ordinalPosition, dev.junction.spi.Keys.ColumnDefault filled) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.columnName = columnName;
      this.dataType = dataType;
      this.typeName = typeName;
      this.columnSize = columnSize;
      this.decimalDigits = decimalDigits;
      this.numPrecRadix = numPrecRadix;
      this.nullable = nullable;
      this.remarks = remarks;
      this.charOctetLength = charOctetLength;
      this.ordinalPosition = ordinalPosition;
      this.isNullable = nullable == java.sql.DatabaseMetaData.columnNoNulls ? "NO" : "YES";
      // JDBC: "" when unknown; every JDBC source reports defaults, so known means YES/NO.
      this.columnDef = filled == null ? null : filled.defaultValue();
      this.isAutoincrement = filled == null ? "" : filled.autoIncrement() ? "YES" : "NO";
      this.isGeneratedcolumn = filled == null ? "" : filled.generated() ? "YES" : "NO";
    }
  }

  /** A row of getPrimaryKeys. */
  public static final class PrimaryKeyRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final String columnName;
    public final short keySeq;
    public final String pkName;

    PrimaryKeyRow(String tableCat, String tableSchem, String tableName, String columnName,
        short keySeq, String pkName) {
      this.tableCat = tableCat;
      this.tableSchem = tableSchem;
      this.tableName = tableName;
      this.columnName = columnName;
      this.keySeq = keySeq;
      this.pkName = pkName;
    }
  }

  /** A row of getImportedKeys and getExportedKeys. */
  public static final class ForeignKeyRow {
    public final String pktableCat;
    public final String pktableSchem;
    public final String pktableName;
    public final String pkcolumnName;
    public final String fktableCat;
    public final String fktableSchem;
    public final String fktableName;
    public final String fkcolumnName;
    public final short keySeq;
    public final short updateRule;
    public final short deleteRule;
    public final String fkName;
    public final String pkName;
    public final short deferrability = (short) java.sql.DatabaseMetaData.importedKeyNotDeferrable;

    @SuppressWarnings("checkstyle:ParameterNumber")
    ForeignKeyRow(String catalog, dev.junction.spi.Keys.ForeignKeyColumn k) {
      this.pktableCat = catalog;
      this.pktableSchem = k.pkSchema();
      this.pktableName = k.pkTable();
      this.pkcolumnName = k.pkColumn();
      this.fktableCat = catalog;
      this.fktableSchem = k.fkSchema();
      this.fktableName = k.fkTable();
      this.fkcolumnName = k.fkColumn();
      this.keySeq = (short) k.sequence();
      this.updateRule = (short) k.updateRule();
      this.deleteRule = (short) k.deleteRule();
      this.fkName = k.fkName();
      this.pkName = k.pkName();
    }
  }

  /** A row of getIndexInfo. */
  public static final class IndexRow {
    public final String tableCat;
    public final String tableSchem;
    public final String tableName;
    public final boolean nonUnique;
    public final String indexQualifier;
    public final String indexName;
    public final short type = java.sql.DatabaseMetaData.tableIndexOther;
    public final short ordinalPosition;
    public final String columnName;
    public final String ascOrDesc;
    public final long cardinality = 0;
    public final long pages = 0;
    public final String filterCondition = null;

    IndexRow(String catalog, dev.junction.spi.Keys.IndexColumn i) {
      this.tableCat = catalog;
      this.tableSchem = i.schema();
      this.tableName = i.table();
      this.nonUnique = i.nonUnique();
      this.indexQualifier = catalog;
      this.indexName = i.indexName();
      this.ordinalPosition = (short) i.ordinal();
      this.columnName = i.column();
      this.ascOrDesc = i.ascending() == null ? null : i.ascending() ? "A" : "D";
    }
  }
}
