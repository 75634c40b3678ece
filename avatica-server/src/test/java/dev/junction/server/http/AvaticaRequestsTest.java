package dev.junction.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * Every Avatica request type is classified, so an Avatica upgrade that adds one fails
 * here, not in production.
 */
class AvaticaRequestsTest {
  @Test void everyRequestTypeIsKnown() throws Exception {
    int seen = 0;
    for (Class<?> c : Service.class.getDeclaredClasses()) {
      if (!Service.Request.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers())) {
        continue;
      }
      Constructor<?> none = c.getDeclaredConstructor();
      none.setAccessible(true);
      Service.Request r = (Service.Request) none.newInstance();
      AvaticaRequests.connectionId(r);
      seen++;
    }
    assertEquals(21, seen, "Avatica 1.28 has 21 request types");
  }

  @Test void classification() {
    Service.FetchRequest fetch = new Service.FetchRequest("c", 5, 0, 100);
    assertEquals("c", AvaticaRequests.connectionId(fetch));
    assertEquals(5, AvaticaRequests.runningStatement(fetch));
    assertFalse(AvaticaRequests.startsWork(fetch));
    Service.PrepareAndExecuteRequest exec = new Service.PrepareAndExecuteRequest("c", 6,
        "VALUES 1", -1);
    assertEquals(6, AvaticaRequests.runningStatement(exec));
    assertTrue(AvaticaRequests.startsWork(exec));
    assertEquals(-1, AvaticaRequests.runningStatement(new Service.CloseConnectionRequest("c")));
  }
}
