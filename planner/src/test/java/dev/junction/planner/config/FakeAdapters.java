package dev.junction.planner.config;

import dev.junction.spi.Source;
import dev.junction.spi.SourceAdapter;
import dev.junction.spi.SourceProperty;
import dev.junction.spi.SourceProperty.Type;
import dev.junction.spi.SourceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hand-written adapters for loader tests: the real adapters live in modules the planner
 * must not depend on. They declare settings like the real ones and never open a source.
 */
final class FakeAdapters {
  private FakeAdapters() {
  }

  /** The four source types of the product, as the catalog file sees them. */
  static List<SourceAdapter> standard() {
    return List.of(new FakePostgresqlAdapter(), new FakeMysqlAdapter(),
        new FakeDuckDbAdapter(), new FakeSqliteAdapter());
  }

  /** The standard adapters plus the given ones. */
  static List<SourceAdapter> standardAnd(SourceAdapter... more) {
    List<SourceAdapter> all = new ArrayList<>(standard());
    all.addAll(List.of(more));
    return all;
  }

  /** Settings only: opening is an integration concern. */
  abstract static class FakeAdapter implements SourceAdapter {
    @Override public Source open(SourceSpec spec) {
      throw new UnsupportedOperationException("fake adapter " + type());
    }
  }

  /** Declares PostgreSQL's settings. */
  static final class FakePostgresqlAdapter extends FakeAdapter {
    @Override public String type() {
      return "postgresql";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(
          SourceProperty.required("url", Type.STRING, "JDBC URL of the database"),
          SourceProperty.optional("user", Type.STRING, "user to log in as"),
          SourceProperty.optional("password", Type.SECRET, "password of user"),
          SourceProperty.optional("pool-size", Type.INTEGER, "8", "maximum pooled connections"));
    }
  }

  /** Declares MySQL's settings and, like the real one, checks the URL scheme. */
  static final class FakeMysqlAdapter extends FakeAdapter {
    @Override public String type() {
      return "mysql";
    }

    @Override public List<SourceProperty> properties() {
      return new FakePostgresqlAdapter().properties();
    }

    @Override public List<String> validate(SourceSpec spec) {
      String url = spec.requiredString("url");
      return url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:") ? List.of()
          : List.of("key 'url': expected a jdbc:mariadb: or jdbc:mysql: URL");
    }
  }

  /** Declares DuckDB's settings and, like the real one, relates files and path. */
  static final class FakeDuckDbAdapter extends FakeAdapter {
    @Override public String type() {
      return "duckdb";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(
          SourceProperty.required("path", Type.PATH, "database file, or :memory:"),
          SourceProperty.optional("files", Type.PATH, "directory of data files"),
          SourceProperty.optional("read-only", Type.BOOLEAN, "true", "open read-only"));
    }

    @Override public List<String> validate(SourceSpec spec) {
      if (spec.string("files").isPresent() && !":memory:".equals(spec.requiredString("path"))
          && spec.bool("read-only", true)) {
        return List.of("key 'files': needs path ':memory:' or read-only: false");
      }
      return List.of();
    }
  }

  /** Declares SQLite's settings. */
  static final class FakeSqliteAdapter extends FakeAdapter {
    @Override public String type() {
      return "sqlite";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(
          SourceProperty.required("path", Type.PATH, "database file"),
          SourceProperty.optional("read-only", Type.BOOLEAN, "true", "open read-only"));
    }
  }

  /** One setting of every type, with defaults, and a count of validate calls. */
  static final class FakeEveryTypeAdapter extends FakeAdapter {
    final AtomicInteger validations = new AtomicInteger();

    @Override public String type() {
      return "every";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(
          SourceProperty.optional("text", Type.STRING, "some text"),
          SourceProperty.optional("token", Type.SECRET, "a token"),
          SourceProperty.optional("dir", Type.PATH, "a directory"),
          SourceProperty.optional("count", Type.INTEGER, "3", "a count"),
          SourceProperty.optional("flag", Type.BOOLEAN, "false", "a flag"),
          SourceProperty.optional("tags", Type.LIST, "alpha", "some tags"),
          SourceProperty.optional("options", Type.MAP, "some options"),
          SourceProperty.optional("label", Type.STRING, "none", "a label"),
          SourceProperty.optional("wait", Type.DURATION, "5s", "a wait"));
    }

    @Override public List<String> validate(SourceSpec spec) {
      validations.incrementAndGet();
      return List.of();
    }
  }

  /** A careless adapter whose problem message quotes the secret and a host. */
  static final class FakeLeakyAdapter extends FakeAdapter {
    @Override public String type() {
      return "leaky";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(SourceProperty.required("password", Type.SECRET, "a password"),
          SourceProperty.optional("host", Type.STRING, "a host"));
    }

    @Override public List<String> validate(SourceSpec spec) {
      return List.of("password '" + spec.secret("password").orElseThrow().reveal()
          + "' is refused by host " + spec.string("host").orElse("?"));
    }
  }

  /** An adapter whose check fails with an exception that quotes the secret. */
  static final class FakeThrowingAdapter extends FakeAdapter {
    @Override public String type() {
      return "throwing";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(SourceProperty.required("password", Type.SECRET, "a password"));
    }

    @Override public List<String> validate(SourceSpec spec) {
      throw new IllegalStateException(spec.secret("password").orElseThrow().reveal());
    }
  }

  /** An adapter with a default that does not fit its declared type. */
  static final class FakeBadDefaultAdapter extends FakeAdapter {
    @Override public String type() {
      return "baddefault";
    }

    @Override public List<SourceProperty> properties() {
      return List.of(SourceProperty.optional("count", Type.INTEGER, "many", "a count"));
    }
  }
}
