package dev.junction.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Expanding {@code ${env:}} and {@code ${file:}} references. */
class ReferencesTest {
  @TempDir Path dir;
  private final List<String> problems = new ArrayList<>();
  private final List<String> revealed = new ArrayList<>();
  private final Map<String, String> env = Map.of("A", "alpha", "B", "beta", "NESTED", "${env:A}");

  @Test void textWithoutReferencesIsUnchanged() {
    assertEquals("plain $text $ {x} $$ and }", expand("plain $text $ {x} $$ and }"));
    assertEquals("", expand(""));
    assertEquals(List.of(), revealed);
  }

  @Test void expandsWholeAndEmbeddedEnvironmentReferences() {
    assertEquals("alpha", expand("${env:A}"));
    assertEquals("x-alpha-beta-y", expand("x-${env:A}-${env:B}-y"));
    assertEquals(List.of("alpha", "alpha", "beta"), revealed);
  }

  @Test void escapedReferenceIsLiteral() {
    assertEquals("${env:A}", expand("$${env:A}"));
    assertEquals("a${b}c", expand("a$${b}c"));
    assertEquals("${env:A}alpha", expand("$${env:A}${env:A}"));
    assertEquals(List.of(), problems);
    assertEquals(List.of("alpha"), revealed);
  }

  @Test void expandedTextIsNotExpandedAgain() {
    assertEquals("${env:A}", expand("${env:NESTED}"));
  }

  @Test void reportsAnUnsetVariableAndAnEmptyName() {
    assertNull(expand("${env:NOPE}-${env:}"));
    assertEquals(List.of("environment variable NOPE is not set",
        "${env:} names no environment variable; expected ${env:NAME}"), problems);
  }

  @Test void readsFilesRelativeToTheBaseDirectoryStrippingOneNewline() throws IOException {
    Files.writeString(dir.resolve("one"), "v1\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("two"), "v2\n\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("crlf"), "v3\r\n", StandardCharsets.UTF_8);
    Path absolute = Files.writeString(dir.resolve("abs"), "v4", StandardCharsets.UTF_8);
    assertEquals("v1", expand("${file:one}"));
    assertEquals("v2\n", expand("${file:two}"));
    assertEquals("v3", expand("${file:crlf}"));
    assertEquals("[v4]", expand("[${file:" + absolute + "}]"));
    assertEquals(List.of("v1", "v2\n", "v3", "v4"), revealed);
  }

  @Test void reportsFilesThatCannotBeRead() throws IOException {
    Files.write(dir.resolve("latin1"), new byte[] {(byte) 0xE9});
    assertNull(expand("${file:missing}"));
    assertNull(expand("${file:.}"));
    assertNull(expand("${file:latin1}"));
    assertNull(expand("${file:}"));
    Path root = dir.toAbsolutePath();
    assertEquals(List.of(
        "file '" + root.resolve("missing") + "' of a ${file:} reference does not exist",
        "file '" + root + "' of a ${file:} reference is a directory",
        "file '" + root.resolve("latin1") + "' of a ${file:} reference is not valid UTF-8",
        "${file:} names no file; expected ${file:path}"), problems);
  }

  @Test void namesAnUnknownKindOnlyOutsideSecrets() {
    References refs = new References(env::get, dir);
    assertNull(refs.expand("${vault:x}", false, problems::add, revealed::add));
    assertNull(refs.expand("pa${ss}word", true, problems::add, revealed::add));
    assertEquals(List.of(
        "unknown reference kind 'vault'; allowed: ${env:NAME}, ${file:path}"
            + " (write '$${' for a literal '${')",
        "unknown reference kind; allowed: ${env:NAME}, ${file:path}"
            + " (write '$${' for a literal '${')"), problems);
  }

  @Test void reportsAnUnterminatedReference() {
    assertNull(expand("abc${env:A"));
    assertEquals(List.of("'${' has no closing '}'; write '$${' for a literal '${'"), problems);
  }

  @Test void reportsEveryBadReferenceInOneValue() {
    assertNull(expand("${env:X}${env:A}${env:Y}"));
    assertEquals(List.of("environment variable X is not set",
        "environment variable Y is not set"), problems);
  }

  private String expand(String text) {
    return new References(env::get, dir).expand(text, false, problems::add, revealed::add);
  }
}
