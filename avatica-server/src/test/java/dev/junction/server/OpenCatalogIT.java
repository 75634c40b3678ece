package dev.junction.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.junction.spi.JunctionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * At start the server reads its catalog: without a policy it warns that every user who
 * can connect reads every table ({@code open_catalog}), with one it names the file, and an
 * invalid catalog refuses to start.
 */
class OpenCatalogIT {
  @TempDir Path dir;

  private Path catalog(String extra) throws Exception {
    Path file = dir.resolve("junction.yaml");
    Files.writeString(file, "sources:\n  files: {type: duckdb, path: \":memory:\"}\n" + extra,
        StandardCharsets.UTF_8);
    return file;
  }

  private static List<String> events(String name, TestingJunctionServer s) {
    return s.events().stream().filter(e -> e.startsWith("event=" + name + " ")).toList();
  }

  @Test void aCatalogWithoutPolicyIsLoud() throws Exception {
    Path file = catalog("");
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .catalog(file).start()) {
      List<String> open = events("open_catalog", s);
      assertEquals(1, open.size(), s.events().toString());
      assertEquals("event=open_catalog catalog=" + file + " warning=\"the catalog has no"
          + " access policy: every user who can connect may read every table of every"
          + " source\" fix=\"add 'policy: policy.yaml' to " + file + " and write the rules"
          + " in policy.yaml\"", open.get(0));
      assertTrue(events("server_started", s).get(0).endsWith(" policy=none"),
          s.events().toString());
    }
  }

  @Test void aCatalogWithPolicyIsQuietAndNamesIt() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "rules:\n  - allow: read\n", StandardCharsets.UTF_8);
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).user("ana", "pw-ana-1")
        .catalog(catalog("policy: policy.yaml\n")).start()) {
      assertEquals(List.of(), events("open_catalog", s));
      assertTrue(events("server_started", s).get(0).endsWith(" policy=" + policy),
          s.events().toString());
    }
  }

  @Test void theDemoIsOpen() throws Exception {
    try (TestingJunctionServer s = TestingJunctionServer.builder(dir).start()) {
      List<String> open = events("open_catalog", s);
      assertEquals(1, open.size(), s.events().toString());
      assertTrue(open.get(0).startsWith("event=open_catalog catalog=demo "), open.get(0));
      assertTrue(open.get(0).contains("--config"), open.get(0));
    }
  }

  @Test void anInvalidCatalogRefusesToStart() throws Exception {
    Path file = catalog("polcy: policy.yaml\n");
    JunctionException e = assertThrows(JunctionException.class,
        () -> TestingJunctionServer.builder(dir).user("ana", "pw-ana-1").catalog(file)
            .start());
    assertTrue(e.getMessage().contains("polcy"), e.getMessage());
  }
}
