package dev.junction.driver;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JunctionProperty#parallelReads}: the read-ahead limit a connection's queries get. */
class JunctionPropertyTest {
  private static Properties of(String... pairs) {
    Properties p = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      p.setProperty(pairs[i], pairs[i + 1]);
    }
    return p;
  }

  @Test
  void parallelReadsDefaultToFourPerQuery() {
    assertEquals(4, JunctionProperty.parallelReads(of()));
    assertEquals(7, JunctionProperty.parallelReads(of("parallelReadsPerQuery", "7")));
    assertEquals(0, JunctionProperty.parallelReads(of("parallelReads", "FALSE")));
    assertEquals(0, JunctionProperty.parallelReads(of("parallelReads", "false",
        "parallelReadsPerQuery", "7")));
  }

  @Test
  void badValuesNameThePropertyAndWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JunctionProperty.parallelReads(of("parallelReads", "maybe")));
    assertTrue(e.getMessage().contains("'parallelReads'") && e.getMessage().contains("true"),
        e.getMessage());
    for (String bad : new String[] {"0", "65", "-1", "four"}) {
      e = assertThrows(IllegalArgumentException.class,
          () -> JunctionProperty.parallelReads(of("parallelReadsPerQuery", bad)));
      assertTrue(e.getMessage().contains("1 to 64"), e.getMessage());
    }
  }
}
