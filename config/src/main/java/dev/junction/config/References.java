package dev.junction.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expands {@code ${env:NAME}} and {@code ${file:path}} in configuration values, so a password
 * can live in the environment or a mounted secret file instead of the catalog itself.
 *
 * <p>Expansion is a single pass: text that a reference yields is never expanded again, so
 * a secret that happens to contain {@code ${} cannot pull in other values. Problems never
 * quote what a reference yielded, and for secret settings not even the written text.
 * The catalog, the server settings and the policy file all use it.
 */
public final class References {
  /** The reference forms, for messages. */
  public static final String ALLOWED = "${env:NAME}, ${file:path}";
  private static final String ESCAPE_HINT = "write '$${' for a literal '${'";
  private static final int MAX_QUOTED_KIND = 20;

  private final Function<String, String> env;
  private final Path baseDir;

  /**
   * @param env looks up environment variables; returns null for an unset variable
   * @param baseDir the directory relative {@code ${file:}} paths resolve against
   */
  public References(Function<String, String> env, Path baseDir) {
    this.env = env;
    this.baseDir = baseDir;
  }

  /**
   * Returns {@code text} with its references expanded, or null after reporting each bad
   * reference to {@code problems}. Every expanded value is passed to {@code revealed}, so
   * the caller can keep it out of messages written by others.
   *
   * @param secret whether {@code text} is a secret, so not even its literal parts are quoted
   */
  public String expand(String text, boolean secret, Consumer<String> problems,
      Consumer<String> revealed) {
    StringBuilder out = new StringBuilder(text.length());
    boolean ok = true;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          problems.accept("'${' has no closing '}'; " + ESCAPE_HINT);
          return null;
        }
        String value = resolve(text.substring(i + 2, end), secret, problems);
        if (value == null) {
          ok = false;
        } else {
          revealed.accept(value);
          out.append(value);
        }
        i = end + 1;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return ok ? out.toString() : null;
  }

  private String resolve(String reference, boolean secret, Consumer<String> problems) {
    int colon = reference.indexOf(':');
    String kind = colon < 0 ? reference : reference.substring(0, colon);
    String argument = colon < 0 ? "" : reference.substring(colon + 1);
    switch (kind) {
      case "env":
        return env(argument, problems);
      case "file":
        return file(argument, problems);
      default:
        boolean quotable = !secret && kind.length() <= MAX_QUOTED_KIND;
        problems.accept("unknown reference kind" + (quotable ? " '" + kind + "'" : "")
            + "; allowed: " + ALLOWED + " (" + ESCAPE_HINT + ")");
        return null;
    }
  }

  private String env(String name, Consumer<String> problems) {
    if (name.isEmpty()) {
      problems.accept("${env:} names no environment variable; expected ${env:NAME}");
      return null;
    }
    String value = env.apply(name);
    if (value == null) {
      problems.accept("environment variable " + name + " is not set");
    }
    return value;
  }

  private String file(String name, Consumer<String> problems) {
    if (name.isEmpty()) {
      problems.accept("${file:} names no file; expected ${file:path}");
      return null;
    }
    Path path;
    try {
      path = baseDir.resolve(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      problems.accept("'" + name + "' in ${file:} is not a valid path");
      return null;
    }
    String prefix = "file '" + path + "' of a ${file:} reference ";
    if (Files.isDirectory(path)) {
      problems.accept(prefix + "is a directory");
      return null;
    }
    try {
      return stripNewline(Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      problems.accept(prefix + "does not exist");
    } catch (AccessDeniedException e) {
      problems.accept(prefix + "is not readable");
    } catch (CharacterCodingException e) {
      problems.accept(prefix + "is not valid UTF-8");
    } catch (IOException e) {
      problems.accept(prefix + "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return null;
  }

  /** Drops the one line break an editor or {@code echo} leaves at the end of a file. */
  private static String stripNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
