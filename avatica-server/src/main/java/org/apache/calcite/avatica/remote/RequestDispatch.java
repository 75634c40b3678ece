package org.apache.calcite.avatica.remote;

/**
 * Dispatches a decoded Avatica request to a service ({@code Request.accept} is
 * package-private). The Junction server decodes requests itself so it can check the
 * connection's owner and set the caller's identity before the service runs them.
 */
public final class RequestDispatch {
  private RequestDispatch() {
  }

  /** Runs {@code request} on {@code service}. */
  public static Service.Response accept(Service.Request request, Service service) {
    return request.accept(service);
  }
}
