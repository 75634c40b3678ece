package dev.junction.adapters.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;

import java.sql.SQLException;

/**
 * BigQuery's errors as JDBC exceptions, classified by their reason so Junction's source
 * error handling ({@code SourceErrors}) names them right: a cancelled job 57014, a
 * network failure 08006, a refused login 28000, a missing table 42S02, a query BigQuery
 * rejects 42000, a job over its {@code maximum-bytes-billed} 54000.
 */
final class BigQueryErrors {
  private BigQueryErrors() {
  }

  static SQLException toSql(BigQueryException e, String source) {
    BigQueryError error = e.getError();
    String reason = error == null || error.getReason() == null ? "" : error.getReason();
    String state = switch (reason) {
      case "stopped" -> "57014";
      case "invalidQuery", "invalid" -> "42000";
      case "notFound" -> "42S02";
      case "accessDenied", "billingNotEnabled" -> "42501";
      case "bytesBilledLimitExceeded", "quotaExceeded", "rateLimitExceeded" -> "54000";
      case "backendError", "internalError" -> "58000";
      default -> e.getCode() == 401 ? "28000"
          : e.getCode() == 0 || e.getCause() instanceof java.io.IOException ? "08006"
          : "58000";
    };
    String message = error != null && error.getMessage() != null ? error.getMessage()
        : String.valueOf(e.getMessage());
    return new SQLException(message + (reason.isEmpty() ? "" : " [" + reason + "]"), state,
        e.getCode(), e);
  }
}
