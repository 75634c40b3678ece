package dev.junction.server.http;

import org.apache.calcite.avatica.remote.Service;

/**
 * What the endpoint needs to know about each Avatica request type: the connection it acts
 * on, the statement it may run, and whether it starts new work (refused while draining).
 * Every request type is listed; {@code AvaticaRequestsTest} fails if Avatica adds one.
 */
final class AvaticaRequests {
  private AvaticaRequests() {
  }

  /** The connection a request acts on. */
  static String connectionId(Service.Request r) {
    if (r instanceof Service.CatalogsRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.DatabasePropertyRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.SchemasRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.TablesRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.TableTypesRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.ColumnsRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.TypeInfoRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.PrepareAndExecuteRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.ExecuteRequest x) {
      return x.statementHandle == null ? null : x.statementHandle.connectionId;
    } else if (r instanceof Service.PrepareRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.FetchRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.CreateStatementRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.CloseStatementRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.OpenConnectionRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.CloseConnectionRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.ConnectionSyncRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.SyncResultsRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.CommitRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.RollbackRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.PrepareAndExecuteBatchRequest x) {
      return x.connectionId;
    } else if (r instanceof Service.ExecuteBatchRequest x) {
      return x.connectionId;
    }
    throw new IllegalArgumentException("unknown Avatica request " + r.getClass().getName());
  }

  /** The statement a request runs a query on (and may block on), or -1. */
  static int runningStatement(Service.Request r) {
    if (r instanceof Service.PrepareAndExecuteRequest x) {
      return x.statementId;
    } else if (r instanceof Service.ExecuteRequest x) {
      return x.statementHandle == null ? -1 : x.statementHandle.id;
    } else if (r instanceof Service.FetchRequest x) {
      return x.statementId;
    } else if (r instanceof Service.SyncResultsRequest x) {
      return x.statementId;
    } else if (r instanceof Service.PrepareAndExecuteBatchRequest x) {
      return x.statementId;
    } else if (r instanceof Service.ExecuteBatchRequest x) {
      return x.statementId;
    }
    return -1;
  }

  /** Whether a request starts new work: refused while the server drains. */
  static boolean startsWork(Service.Request r) {
    return r instanceof Service.OpenConnectionRequest
        || r instanceof Service.CreateStatementRequest
        || r instanceof Service.PrepareRequest
        || r instanceof Service.PrepareAndExecuteRequest
        || r instanceof Service.ExecuteRequest
        || r instanceof Service.PrepareAndExecuteBatchRequest
        || r instanceof Service.ExecuteBatchRequest;
  }
}
