package dev.junction.adapters.bigquery;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * The base of the JDBC facade's objects: each is a dynamic proxy of one JDBC interface
 * whose handler answers the few calls Junction's pipeline makes (by method name) and
 * refuses every other with {@link SQLFeatureNotSupportedException}, so a call nobody
 * expected fails loudly instead of answering wrong. {@code unwrap} reaches the handler.
 */
abstract class Facade implements InvocationHandler {
  /** A proxy of {@code iface} answered by {@code handler}. */
  static <T> T proxy(Class<T> iface, Facade handler) {
    return iface.cast(Proxy.newProxyInstance(Facade.class.getClassLoader(),
        new Class<?>[] {iface}, handler));
  }

  /** Marks a call this handler does not answer. */
  static final Object UNHANDLED = new Object();

  @Override public final Object invoke(Object proxy, Method method, Object[] args)
      throws Throwable {
    String name = method.getName();
    Object[] a = args == null ? new Object[0] : args;
    switch (name) {
      case "unwrap" -> {
        Class<?> iface = (Class<?>) a[0];
        if (iface.isInstance(this)) {
          return this;
        }
        if (iface.isInstance(proxy)) {
          return proxy;
        }
        throw new SQLException("not a wrapper for " + iface.getName());
      }
      case "isWrapperFor" -> {
        return ((Class<?>) a[0]).isInstance(this) || ((Class<?>) a[0]).isInstance(proxy);
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "equals" -> {
        return proxy == a[0];
      }
      case "toString" -> {
        return describe();
      }
      case "getWarnings" -> {
        return null;
      }
      case "clearWarnings" -> {
        return null;
      }
      default -> {
      }
    }
    Object result;
    try {
      result = handle(proxy, name, a);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    if (result == UNHANDLED) {
      throw new SQLFeatureNotSupportedException("BigQuery source: " + method.getDeclaringClass()
          .getSimpleName() + "." + name + " is not supported");
    }
    return result;
  }

  /** Answers a call, or returns {@link #UNHANDLED}. */
  abstract Object handle(Object proxy, String method, Object[] args) throws Exception;

  /** For toString. */
  abstract String describe();
}
