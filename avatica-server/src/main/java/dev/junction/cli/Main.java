package dev.junction.cli;

import dev.junction.driver.demo.DemoCatalog;
import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.config.CatalogConfig;
import dev.junction.planner.config.CatalogConfigLoader;
import dev.junction.server.JunctionServer;
import dev.junction.server.ServerConfig;
import dev.junction.server.ServerConfigException;
import dev.junction.server.ServerConfigLoader;
import dev.junction.server.auth.PasswordHasher;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Source;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code junction} command: {@code shell}, {@code sql}, {@code explain},
 * {@code check}, {@code serve} (the Avatica server) and {@code hash-password}. With no
 * {@code --config} it uses the bundled demo catalog. Errors are one line on stderr and a
 * non-zero exit code; {@code --debug} adds the stack trace.
 */
public final class Main {
  static final String USAGE = """
      usage: junction <command> [options]

      commands:
        shell   [--config F] [--user U]                 interactive SQL shell (sqlline)
        sql     "SELECT ..." [--config F] [--format table|csv|json] [--user U]
        explain "SELECT ..." [--config F]               plan with the SQL sent to each source
        check   [--config F]                            validate the catalog, test every source
        serve   [--config F] [--server-config S] [--port N] [--host H]
                [--serialization protobuf|json] [--log-format text|json] [--insecure-plaintext]
                                                        the Avatica server (see README, Server)
        hash-password NAME                              read a password, print a users-file line
        help                                            this text

      Without --config the bundled demo catalog is used (sources shop and crm).
      --debug prints stack traces.
      """;

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new Main(System.out, System.err).run(args));
  }

  /** Parsed options common to every command. */
  private record Options(String command, String sql, Path config, String format, String user,
      boolean debug, Map<String, String> serve) {
  }

  /** Runs one command; returns the process exit status. */
  int run(String[] args) {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("junction: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    try {
      return switch (o.command()) {
        case "help" -> {
          out.print(USAGE);
          yield 0;
        }
        case "sql" -> sql(o);
        case "explain" -> explain(o);
        case "check" -> check(o);
        case "shell" -> shell(o);
        case "serve" -> serve(o);
        case "hash-password" -> hashPassword(o);
        default -> throw new IllegalStateException(o.command());
      };
    } catch (ServerConfigException e) {
      err.println("junction: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("junction: " + e.getMessage());
      if (o.debug()) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  private static Options parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("missing command");
    }
    String command = args[0];
    if (command.equals("--help") || command.equals("-h")) {
      command = "help";
    }
    if (!List.of("shell", "sql", "explain", "check", "serve", "hash-password", "help")
        .contains(command)) {
      throw new IllegalArgumentException("unknown command '" + command
          + "'; allowed: shell, sql, explain, check, serve, hash-password, help");
    }
    Map<String, String> serve = new LinkedHashMap<>();
    String sql = null;
    Path config = null;
    String format = "table";
    String user = System.getProperty("user.name");
    boolean debug = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--config" -> config = Path.of(value(args, ++i, a));
        case "--format" -> {
          format = value(args, ++i, a).toLowerCase(Locale.ROOT);
          if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format must be table, csv or json, not '"
                + format + "'");
          }
        }
        case "--user" -> user = value(args, ++i, a);
        case "--debug" -> debug = true;
        case "--server-config", "--port", "--host", "--serialization", "--log-format" -> {
          if (!command.equals("serve")) {
            throw new IllegalArgumentException(a + " is an option of serve only");
          }
          serve.put(a, value(args, ++i, a));
        }
        case "--insecure-plaintext" -> serve.put(a, "true");
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option '" + a
                + "'; allowed: --config, --format, --user, --debug, and for serve"
                + " --server-config, --port, --host, --serialization, --log-format,"
                + " --insecure-plaintext");
          }
          if (sql != null || !(command.equals("sql") || command.equals("explain")
              || command.equals("hash-password"))) {
            throw new IllegalArgumentException("unexpected argument '" + a + "'");
          }
          sql = a;
        }
      }
    }
    if ((command.equals("sql") || command.equals("explain")) && sql == null) {
      throw new IllegalArgumentException(command + " needs a query: junction " + command
          + " \"SELECT ...\"");
    }
    if (command.equals("hash-password") && sql == null) {
      throw new IllegalArgumentException("hash-password needs a user name: junction"
          + " hash-password NAME");
    }
    return new Options(command, sql, config, format, user, debug, serve);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static String url(Options o) {
    return o.config() == null ? "jdbc:junction:demo"
        : "jdbc:junction:config=" + o.config().toAbsolutePath();
  }

  private static Connection connect(Options o) throws SQLException {
    Properties p = new Properties();
    if (o.user() != null) {
      p.setProperty("user", o.user());
    }
    return DriverManager.getConnection(url(o), p);
  }

  private int sql(Options o) throws SQLException {
    try (Connection c = connect(o); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(o.sql())) {
      TablePrinter.print(rs, o.format(), out);
    }
    return 0;
  }

  private int explain(Options o) throws SQLException {
    try (Connection c = connect(o); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + o.sql())) {
      while (rs.next()) {
        out.println(rs.getString(1).stripTrailing());
      }
    }
    return 0;
  }

  private int check(Options o) {
    Path file = o.config() != null ? o.config() : DemoCatalog.ensure();
    CatalogConfig config = CatalogConfigLoader.load(file, Catalog.adapters());
    out.println("catalog " + file.toAbsolutePath() + ": valid, " + config.sources().size()
        + " source(s)");
    int failed = 0;
    try (Catalog catalog = Catalog.open(config)) {
      for (Map.Entry<String, Source> e : catalog.sources().entrySet()) {
        Source s = e.getValue();
        long start = System.nanoTime();
        try {
          s.check();
          out.printf(Locale.ROOT, "ok   %s (%s) %d ms%n", s.name(), s.type(),
              (System.nanoTime() - start) / 1_000_000);
        } catch (JunctionException ex) {
          failed++;
          out.printf(Locale.ROOT, "FAIL %s (%s): %s%n", s.name(), s.type(), ex.getMessage());
        }
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private int serve(Options o) throws Exception {
    Map<String, String> s = o.serve();
    ServerConfig config = s.containsKey("--server-config")
        ? ServerConfigLoader.load(Path.of(s.get("--server-config"))) : ServerConfig.defaults();
    List<String> problems = new ArrayList<>();
    if (o.config() != null) {
      config = config.withCatalog(o.config());
    }
    if (s.containsKey("--port")) {
      try {
        int port = Integer.parseInt(s.get("--port"));
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
        config = config.withPort(port);
      } catch (NumberFormatException e) {
        problems.add("--port: '" + s.get("--port") + "' is not allowed; allowed: 0 to 65535");
      }
    }
    if (s.containsKey("--host")) {
      config = config.withHost(s.get("--host"));
    }
    if (s.containsKey("--serialization")) {
      try {
        config = config.withSerialization(ServerConfig.Serialization.valueOf(
            s.get("--serialization").toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add("--serialization: '" + s.get("--serialization")
            + "' is not allowed; allowed: protobuf, json");
      }
    }
    if (s.containsKey("--log-format")) {
      try {
        config = config.withLogFormat(ServerConfig.LogFormat.valueOf(
            s.get("--log-format").toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        problems.add("--log-format: '" + s.get("--log-format")
            + "' is not allowed; allowed: text, json");
      }
    }
    if (s.containsKey("--insecure-plaintext")) {
      config = config.withInsecurePlaintext(true);
    }
    if (!problems.isEmpty()) {
      throw new ServerConfigException("(command line)", problems);
    }
    JunctionServer.Builder builder = JunctionServer.builder(config);
    if (config.logFormat() == ServerConfig.LogFormat.JSON) {
      builder.eventSink(err::println);
    }
    JunctionServer server = builder.build();
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      stopped.countDown();
    }, "junction-shutdown"));
    err.println("junction: serving " + server.url() + " (jdbc:avatica:remote:url="
        + server.url() + ";serialization=" + config.serialization().name()
        .toLowerCase(Locale.ROOT) + "); stop with Ctrl-C or SIGTERM");
    stopped.await();
    return 0;
  }

  private int hashPassword(Options o) throws IOException {
    char[] password;
    Console console = System.console();
    if (console != null) {
      password = console.readPassword("password for %s: ", o.sql());
      char[] again = console.readPassword("again: ");
      if (!Arrays.equals(password, again)) {
        err.println("junction: the passwords differ");
        return 1;
      }
    } else {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line = in.readLine();
      password = line == null ? new char[0] : line.toCharArray();
    }
    try {
      if (password.length == 0) {
        err.println("junction: empty password");
        return 1;
      }
      out.println(o.sql() + ":" + PasswordHasher.hash(password));
      return 0;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private int shell(Options o) throws IOException {
    List<String> args = new ArrayList<>(List.of("-d", "dev.junction.driver.JunctionDriver",
        "-u", url(o), "-n", o.user() == null ? "" : o.user(), "-p", "",
        "--isolation=TRANSACTION_NONE", "--maxWidth=200"));
    try {
      var status = sqlline.SqlLine.start(args.toArray(String[]::new), null, true);
      return status == sqlline.SqlLine.Status.OK ? 0 : 1;
    } catch (IOException e) {
      throw e;
    }
  }
}
