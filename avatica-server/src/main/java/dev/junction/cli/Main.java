package dev.junction.cli;

import dev.junction.config.ConfigException;
import dev.junction.driver.demo.DemoCatalog;
import dev.junction.planner.catalog.Catalog;
import dev.junction.planner.config.CatalogConfig;
import dev.junction.planner.config.CatalogConfigLoader;
import dev.junction.planner.config.InvalidCatalogException;
import dev.junction.planner.security.InvalidPolicyException;
import dev.junction.planner.security.Policy;
import dev.junction.planner.security.PolicyDrift;
import dev.junction.planner.security.PolicyHolder;
import dev.junction.server.JunctionServer;
import dev.junction.server.ServerConfig;
import dev.junction.server.ServerConfigException;
import dev.junction.server.ServerConfigLoader;
import dev.junction.server.auth.PasswordHasher;
import dev.junction.spi.JunctionException;
import dev.junction.spi.Source;

import org.jline.reader.Completer;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.completer.AggregateCompleter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import sqlline.SqlLine;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code junction} command: {@code shell}, {@code sql}, {@code explain},
 * {@code check}, {@code policy} ({@code explain} and {@code check}), {@code cache}
 * ({@code invalidate}), {@code serve} (the
 * Avatica server), {@code hash-password} and {@code help}, parsed by picocli, which also
 * writes the help. With no {@code --config} it uses the bundled demo catalog. Errors are
 * one line on stderr (a configuration file's problems one line each, with their lines in
 * the file) and exit status 1, or 2 for a command line or server settings that cannot be
 * used; {@code --debug} adds the stack trace.
 */
@Command(name = "junction", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Federated SQL over PostgreSQL, MariaDB/MySQL, DuckDB and SQLite.",
    footer = {"", "Without --config the bundled demo catalog is used (sources shop and crm).",
        "--debug prints stack traces."})
public final class Main implements Runnable {
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean interactive;
  private final boolean handleCtrlC;
  private boolean debug;
  private QueryInterrupts interrupts;

  /** A tool whose standard input is a terminal (it never reads one) and no Ctrl-C handler. */
  Main(PrintStream out, PrintStream err) {
    this(InputStream.nullInputStream(), out, err, true, false);
  }

  /**
   * The tool on these streams.
   *
   * @param interactive whether standard input is a terminal (so sql and explain do not wait
   *     for a query on it)
   * @param handleCtrlC whether Ctrl-C (SIGINT) cancels the running query, for the process's
   *     own tool only
   */
  Main(InputStream in, PrintStream out, PrintStream err, boolean interactive,
      boolean handleCtrlC) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.handleCtrlC = handleCtrlC;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    CliLogging.configure(System.err);
    // Buffered: rows are flushed in batches, and a closed pipe shows in checkError().
    PrintStream stdout = new PrintStream(new BufferedOutputStream(
        new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);
    int status = new Main(System.in, stdout, System.err, System.console() != null, true)
        .run(args);
    stdout.flush();
    System.exit(status);
  }

  /** The version {@code --version} prints: the jar's, or "development" from the build tree. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"junction " + (v == null ? "(development build)" : v)};
    }
  }

  /** Runs one command; returns the process exit status. */
  int run(String[] args) {
    PrintWriter stdout = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
        true);
    PrintWriter stderr = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8),
        true);
    CommandLine cl = new CommandLine(this)
        .addSubcommand("shell", new Shell())
        .addSubcommand("sql", new Sql())
        .addSubcommand("explain", new Explain())
        .addSubcommand("check", new Check())
        .addSubcommand("policy", new CommandLine(new PolicyCommand())
            .addSubcommand("explain", new PolicyExplain())
            .addSubcommand("check", new PolicyCheck()))
        .addSubcommand("cache", new CommandLine(new CacheCommand())
            .addSubcommand("invalidate", new CacheInvalidate()))
        .addSubcommand("serve", new Serve())
        .addSubcommand("hash-password", new HashPassword())
        .addSubcommand("help", new CommandLine.HelpCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(stdout)
        .setErr(stderr);
    cl.setParameterExceptionHandler((e, a) -> {
      stderr.println("junction: " + describe(e));
      e.getCommandLine().usage(stderr);
      return 2;
    });
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      String message = e instanceof ConfigException ce ? ce.locatedMessage()
          : e instanceof InvalidCatalogException ic ? ic.locatedMessage()
          : e instanceof InvalidPolicyException ip ? ip.locatedMessage() : e.getMessage();
      stderr.println("junction: " + message);
      if (debug && !(e instanceof ServerConfigException)) {
        e.printStackTrace(stderr);
      }
      return e instanceof ServerConfigException ? 2 : 1;
    });
    try {
      return cl.execute(sqlArguments(args));
    } finally {
      stdout.flush();
      stderr.flush();
      out.flush();
    }
  }

  /**
   * The arguments with SQL that opens with a {@code --} comment protected from being read
   * as an option: an argument that starts with {@code --} and then a blank, or that holds a
   * line break, gets a leading space (which SQL ignores).
   */
  static String[] sqlArguments(String[] args) {
    String[] copy = args.clone();
    for (int i = 0; i < copy.length; i++) {
      String a = copy[i];
      if (a.startsWith("-") && (a.length() > 2 && a.startsWith("--")
          && Character.isWhitespace(a.charAt(2)) || a.indexOf('\n') >= 0)) {
        copy[i] = " " + a;
      }
    }
    return copy;
  }

  /** A parse error in the words this tool always used, with picocli's did-you-mean. */
  private static String describe(ParameterException e) {
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      List<String> near = u.getSuggestions();
      String hint = near.isEmpty() ? "" : " (did you mean '" + near.get(0) + "'?)";
      if (arg.startsWith("-")) {
        return "unknown option '" + arg + "'" + hint;
      }
      if (u.getCommandLine().getParent() == null) {
        return "unknown command '" + arg + "'; allowed: "
            + String.join(", ", u.getCommandLine().getSubcommands().keySet()) + hint;
      }
      return "unexpected argument '" + arg + "'";
    }
    return e.getMessage();
  }

  /** With no command: the usage, as an error. */
  @Override public void run() {
    throw new ParameterException(new CommandLine(this), "missing command");
  }

  /** Options every command takes. */
  abstract class Common {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
        description = "the catalog file (default: the bundled demo catalog)")
    Path config;

    @Option(names = "--debug", description = "print stack traces")
    void debug(boolean on) {
      debug = on;
    }

    @Option(names = "--audit",
        description = "print the audit trail (one JSON line a statement) on stderr when the"
            + " catalog sends it to the log, as it does by default")
    void audit(boolean on) {
      if (on) {
        // Read by slf4j-simple when the audit logger is created, after parsing.
        System.setProperty("org.slf4j.simpleLogger.log.junction.audit", "info");
        CliLogging.showAudit();
      }
    }

    ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }
  }

  /** Options of the commands that connect as a user. */
  abstract class Connecting extends Common {
    @Option(names = "--user", paramLabel = "U",
        description = "the user to connect as (default: ${sys:user.name})")
    String user = System.getProperty("user.name");
  }

  /** Where sql and explain read their SQL: an argument, a file or standard input. */
  abstract class TakingSql extends Connecting {
    @Parameters(arity = "0..1", paramLabel = "SQL",
        description = "the SQL: one statement or several separated by ';' (comments"
            + " allowed); '-' or nothing reads standard input")
    String sql;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
        description = "read the SQL from this file")
    Path file;

    /** The statements to run, from the argument, the file or standard input. */
    List<SqlScript.Statement> statements() throws IOException {
      String name = spec.name();
      String text;
      if (sql != null && file != null) {
        throw usage(name + ": give the SQL as an argument or with -f, not both");
      } else if (file != null) {
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw usage(name + " -f: no such file: " + file);
        }
      } else if (sql != null && !sql.equals("-")) {
        if (sql.startsWith("-") && sql.strip().indexOf(' ') < 0) {
          throw usage("unknown option '" + sql + "'");
        }
        text = sql;
      } else if (sql == null && interactive) {
        throw usage(name + " needs a query: junction " + name + " \"SELECT ...\", -f FILE,"
            + " or the SQL on standard input");
      } else {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      List<SqlScript.Statement> statements = SqlScript.split(text);
      if (statements.isEmpty()) {
        throw usage(name + ": no SQL statement in the input (only blanks and comments)");
      }
      return statements;
    }
  }

  /** {@code junction sql}. */
  @Command(name = "sql", mixinStandardHelpOptions = true,
      description = {"Run SQL and print each result.",
          "The SQL is an argument, a file (-f) or standard input; several statements are"
              + " separated by ';'. Ctrl-C cancels the running query in its sources."})
  final class Sql extends TakingSql implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "table|csv|json|jsonl",
        description = "how to print a result: an aligned table, CSV, a JSON array or JSON"
            + " Lines (default: ${DEFAULT-VALUE})")
    ResultPrinter.Format format = ResultPrinter.Format.TABLE;

    @Override public Integer call() throws IOException, SQLException {
      List<SqlScript.Statement> statements = statements();
      if (handleCtrlC) {
        interrupts = QueryInterrupts.install(err);
      }
      try (Connection c = connect(config, user)) {
        for (int k = 0; k < statements.size(); k++) {
          SqlScript.Statement s = statements.get(k);
          if (k > 0 && format == ResultPrinter.Format.TABLE) {
            out.println();
          }
          Integer failed = execute(c, s.sql(), statements.size() == 1 ? ""
              : "statement " + (k + 1) + " (line " + s.line() + "): ", format);
          if (failed != null) {
            return failed;
          }
        }
      }
      return 0;
    }
  }

  /**
   * Runs one statement and prints its result; Ctrl-C cancels it and a closed output
   * stops it.
   *
   * @return null to go on with the next statement, or the exit status to stop with
   */
  private Integer execute(Connection c, String sql, String where, ResultPrinter.Format format)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      if (interrupts != null) {
        interrupts.running(st);
      }
      boolean complete = true;
      if (st.execute(sql)) {
        try (ResultSet rs = st.getResultSet()) {
          complete = new ResultPrinter(out, format).print(rs);
        }
      }
      if (!complete) {
        // The reader went away (| head): closing the statement cancels the remote query.
        return 0;
      }
      return null;
    } catch (SQLException e) {
      if (interrupts != null && interrupts.cancelled()) {
        err.println("junction: query cancelled (Ctrl-C); its sources were told to stop");
        return 130;
      }
      if (where.isEmpty()) {
        throw e;
      }
      throw new SQLException(where + e.getMessage(), e.getSQLState(), e);
    } finally {
      if (interrupts != null) {
        interrupts.running(null);
      }
    }
  }

  /** {@code junction explain}. */
  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = {"Print a query's plan with the SQL sent to each source.",
          "The SQL is an argument, a file (-f) or standard input, as for sql."})
  final class Explain extends TakingSql implements Callable<Integer> {
    @Override public Integer call() throws IOException, SQLException {
      List<SqlScript.Statement> statements = statements();
      try (Connection c = connect(config, user); Statement st = c.createStatement()) {
        for (int k = 0; k < statements.size(); k++) {
          if (k > 0) {
            out.println();
          }
          try (ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + statements.get(k).sql())) {
            while (rs.next()) {
              out.println(rs.getString(1).stripTrailing());
            }
          }
        }
      }
      return 0;
    }
  }

  /** {@code junction check}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate the catalog (every problem, with its line) and test every"
          + " source; with a policy, check the policy against the sources (rules matching"
          + " no table, filters and masks that no longer compile, columns entries naming no"
          + " column; a notice for each column a governing rule does not mention).")
  final class Check extends Common implements Callable<Integer> {
    @Override public Integer call() {
      return check(config);
    }
  }

  /** {@code junction policy}: the commands about the catalog's access policy. */
  @Command(name = "policy", mixinStandardHelpOptions = true,
      description = "Commands about the catalog's access policy (its key 'policy').",
      synopsisSubcommandLabel = "(explain | check)")
  final class PolicyCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** With no subcommand: the usage, as an error. */
    @Override public void run() {
      throw new ParameterException(spec.commandLine(), "policy needs a command: explain or"
          + " check");
    }
  }

  /** {@code junction policy explain}. */
  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Print the plan of a query as a user runs it, with the SQL each source"
          + " receives: the policy's row filters and masks in full, where junction explain"
          + " shows <row filter> and <mask>. Attribute values appear as literals, secret"
          + " ones too: this is for whoever may read the policy file.")
  final class PolicyExplain extends Common implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "\"SELECT ...\"", description = "the query")
    String query;

    @Option(names = "--user", paramLabel = "U", required = true,
        description = "the user whose plan to show")
    String user;

    @Option(names = "--groups", paramLabel = "G[,G...]",
        description = "groups besides those the policy file gives the user, as a token"
            + " would (the connection property 'groups')")
    String groups;

    @Option(names = "--attributes", paramLabel = "JSON",
        description = "attributes besides those of the policy file, as a JSON object:"
            + " '{\"region\": \"EU\"}' (the connection property 'attributes')")
    String attributes;

    @Override public Integer call() throws SQLException {
      if (query == null) {
        throw usage("policy explain needs a query: junction policy explain --user U"
            + " \"SELECT ...\"");
      }
      Path file = catalogFile(config);
      CatalogConfig catalog = CatalogConfigLoader.load(file, Catalog.adapters());
      if (catalog.policy() == null) {
        err.println("junction: catalog " + file + " has no policy (its key 'policy');"
            + " every user's plan is the one junction explain prints");
        return 1;
      }
      Properties p = new Properties();
      p.setProperty("user", user);
      p.setProperty("revealPolicy", "true");
      if (groups != null) {
        p.setProperty("groups", groups);
      }
      if (attributes != null) {
        p.setProperty("attributes", attributes);
      }
      try (Connection c = DriverManager.getConnection(url(file), p);
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + query)) {
        while (rs.next()) {
          out.println(rs.getString(1).stripTrailing());
        }
      }
      return 0;
    }
  }

  /** {@code junction cache}: the commands about the catalog's result cache. */
  @Command(name = "cache", mixinStandardHelpOptions = true,
      description = "Commands about the catalog's result cache (its key 'cache').",
      synopsisSubcommandLabel = "invalidate")
  final class CacheCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** With no subcommand: the usage, as an error. */
    @Override public void run() {
      throw new ParameterException(spec.commandLine(), "cache needs a command: invalidate");
    }
  }

  /**
   * {@code junction cache invalidate [SOURCE]}: runs {@code CALL
   * junction.invalidate_cache(...)} on a running server ({@code --server}) or in this
   * process's catalog ({@code --config}).
   */
  @Command(name = "invalidate", mixinStandardHelpOptions = true,
      description = {"Drop cached results: those read from SOURCE, or all of them.",
          "With --server, in a running Junction server (the password, if it asks for one, is"
              + " read from the environment variable JUNCTION_PASSWORD); otherwise in this"
              + " process's catalog (--config), which only matters to embedded use."})
  final class CacheInvalidate extends Connecting implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SOURCE",
        description = "the source whose results to drop (default: every source)")
    String source;

    @Option(names = "--server", paramLabel = "URL",
        description = "the server's address, e.g. http://localhost:8765")
    String server;

    @Override public Integer call() throws SQLException {
      String sql = "CALL junction.invalidate_cache("
          + (source == null ? "" : "'" + source.replace("'", "''") + "'") + ")";
      try (Connection c = server == null ? connect(config, user) : remote(server, user);
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery(sql)) {
        long dropped = rs.next() ? rs.getLong(2) : 0;
        out.println("invalidated " + dropped + " cached result" + (dropped == 1 ? "" : "s")
            + (source == null ? "" : " of source " + source));
      }
      return 0;
    }
  }

  /** A connection to a running Junction server over Avatica's protobuf protocol. */
  private static Connection remote(String server, String user) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    String password = System.getenv("JUNCTION_PASSWORD");
    if (password != null) {
      p.setProperty("avatica_user", user == null ? "" : user);
      p.setProperty("avatica_password", password);
      p.setProperty("authentication", "BASIC");
    }
    return DriverManager.getConnection("jdbc:avatica:remote:url=" + server
        + ";serialization=protobuf", p);
  }

  /** {@code junction policy check}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Check the catalog's policy against its sources, as junction check"
          + " does, without testing each source first.")
  final class PolicyCheck extends Common implements Callable<Integer> {
    @Override public Integer call() {
      Path file = catalogFile(config);
      CatalogConfig catalogConfig = CatalogConfigLoader.load(file, Catalog.adapters());
      if (catalogConfig.policy() == null) {
        err.println("junction: catalog " + file + " has no policy (its key 'policy')");
        return 1;
      }
      try (Catalog catalog = Catalog.open(catalogConfig)) {
        return printDrift(catalog, Set.of()) ? 1 : 0;
      }
    }
  }

  /** {@code junction shell}. */
  @Command(name = "shell", mixinStandardHelpOptions = true,
      description = "Interactive SQL shell (sqlline).")
  final class Shell extends Connecting implements Callable<Integer> {
    @Override public Integer call() throws IOException {
      return shell(config, user);
    }
  }

  /** {@code junction serve}. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run the Junction server (the Avatica protocol; see README, Server)."
          + " Options override the settings file.")
  final class Serve extends Common implements Callable<Integer> {
    @Option(names = "--server-config", paramLabel = "FILE",
        description = "the server settings file")
    Path serverConfig;

    @Option(names = "--port", paramLabel = "N", description = "the port (0: any free port)")
    Integer port;

    @Option(names = "--host", paramLabel = "H", description = "the address to listen on")
    String host;

    @Option(names = "--serialization", paramLabel = "protobuf|json",
        description = "the Avatica wire format")
    ServerConfig.Serialization serialization;

    @Option(names = "--log-format", paramLabel = "text|json",
        description = "how events are logged")
    ServerConfig.LogFormat logFormat;

    @Option(names = "--insecure-plaintext",
        description = "allow a non-loopback address without TLS (sends passwords in clear"
            + " text)")
    boolean insecurePlaintext;

    @Override public Integer call() throws Exception {
      if (port != null && (port < 0 || port > 65535)) {
        throw usage("--port: '" + port + "' is not allowed; allowed: 0 to 65535");
      }
      return serve(this);
    }
  }

  /** {@code junction hash-password}. */
  @Command(name = "hash-password", mixinStandardHelpOptions = true,
      description = "Read a password and print a users-file line for it.")
  final class HashPassword extends Common implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "the user name")
    String name;

    @Override public Integer call() throws IOException {
      if (name == null) {
        throw usage("hash-password needs a user name: junction hash-password NAME");
      }
      return hashPassword(name);
    }
  }

  private static String url(Path config) {
    return config == null ? "jdbc:junction:demo"
        : "jdbc:junction:config=" + config.toAbsolutePath();
  }

  private static Connection connect(Path config, String user) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    return DriverManager.getConnection(url(config), p);
  }

  /** The catalog file: {@code --config}, or the demo catalog's. */
  private static Path catalogFile(Path config) {
    return config != null ? config : DemoCatalog.ensure();
  }

  private int check(Path catalogFile) {
    Path file = catalogFile(catalogFile);
    CatalogConfig config = CatalogConfigLoader.load(file, Catalog.adapters());
    out.println("catalog " + file.toAbsolutePath() + ": valid, " + config.sources().size()
        + " source(s)");
    config.warnings().forEach(w -> out.println("warn " + w));
    Set<String> failed = new TreeSet<>();
    boolean policyFails = false;
    try (Catalog catalog = Catalog.open(config)) {
      for (Map.Entry<String, Source> e : catalog.sources().entrySet()) {
        Source s = e.getValue();
        long start = System.nanoTime();
        try {
          s.check();
          out.printf(Locale.ROOT, "ok   %s (%s) %d ms%n", s.name(), s.type(),
              (System.nanoTime() - start) / 1_000_000);
        } catch (JunctionException ex) {
          failed.add(s.name());
          out.printf(Locale.ROOT, "FAIL %s (%s): %s%n", s.name(), s.type(), ex.getMessage());
        }
      }
      if (catalog.policy().isPresent()) {
        policyFails = printDrift(catalog, failed);
      }
    }
    return failed.isEmpty() && !policyFails ? 0 : 1;
  }

  /**
   * Prints how the catalog's policy has drifted from its sources: a summary line, then
   * each problem and each notice with its line in the policy file, as a catalog's
   * problems are printed. Sources in {@code unreachable} are not listed again.
   *
   * @return whether there was a problem (notices are not)
   */
  private boolean printDrift(Catalog catalog, Set<String> unreachable) {
    PolicyHolder holder = catalog.policy().orElseThrow();
    Policy policy = holder.current();
    List<PolicyDrift.Finding> findings = PolicyDrift.check(policy,
        catalog.sources().values(), unreachable);
    List<PolicyDrift.Finding> problems = findings.stream()
        .filter(PolicyDrift.Finding::isError).toList();
    List<PolicyDrift.Finding> notices = findings.stream()
        .filter(f -> !f.isError()).toList();
    StringBuilder summary = new StringBuilder("policy ").append(holder.file()
        .toAbsolutePath()).append(": ");
    if (problems.isEmpty()) {
      summary.append("valid, ").append(policy.rules().size())
          .append(" rule(s) checked against the sources");
    } else {
      summary.append(count(problems.size(), "problem"));
    }
    if (!notices.isEmpty()) {
      summary.append(problems.isEmpty() ? "; " : ", ").append(count(notices.size(), "notice"));
    }
    out.println(summary);
    for (PolicyDrift.Finding f : problems) {
      out.println("  - " + (f.line() > 0 ? "line " + f.line() + ": " : "") + f.message());
    }
    for (PolicyDrift.Finding f : notices) {
      out.println("  - " + (f.line() > 0 ? "line " + f.line() + ": " : "") + "notice: "
          + f.message());
    }
    return !problems.isEmpty();
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private int serve(Serve o) throws Exception {
    ServerConfig config = o.serverConfig != null ? ServerConfigLoader.load(o.serverConfig)
        : ServerConfig.defaults();
    if (o.config != null) {
      config = config.withCatalog(o.config);
    }
    if (o.port != null) {
      config = config.withPort(o.port);
    }
    if (o.host != null) {
      config = config.withHost(o.host);
    }
    if (o.serialization != null) {
      config = config.withSerialization(o.serialization);
    }
    if (o.logFormat != null) {
      config = config.withLogFormat(o.logFormat);
    }
    if (o.insecurePlaintext) {
      config = config.withInsecurePlaintext(true);
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

  private int hashPassword(String name) throws IOException {
    char[] password;
    Console console = System.console();
    if (console != null) {
      password = console.readPassword("password for %s: ", name);
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
      out.println(name + ":" + PasswordHasher.hash(password));
      return 0;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private int shell(Path config, String user) throws IOException {
    List<String> args = new ArrayList<>(List.of("-d", "dev.junction.driver.JunctionDriver",
        "-u", url(config), "-n", user == null ? "" : user, "-p", "",
        "--isolation=TRANSACTION_NONE", "--maxWidth=200"));
    // Names complete over a connection of their own, opened on the first Tab (connections
    // to one catalog share its sources, so this costs no second pool).
    Connection[] names = new Connection[1];
    NameCompleter completer = new NameCompleter(() -> {
      names[0] = connect(config, user);
      return names[0].getMetaData();
    });
    try {
      SqlLine.Status status = new CompletingSqlLine(completer)
          .begin(args.toArray(String[]::new), null, true);
      return status == SqlLine.Status.OK ? 0 : 1;
    } finally {
      if (names[0] != null) {
        try {
          names[0].close();
        } catch (SQLException e) {
          err.println("junction: " + e.getMessage());
        }
      }
    }
  }

  /** sqlline whose line reader also completes source, schema, table and column names. */
  static final class CompletingSqlLine extends SqlLine {
    private final Completer names;

    CompletingSqlLine(Completer names) {
      this.names = names;
    }

    @Override public LineReader getConsoleReader(InputStream inputStream, History history)
        throws IOException {
      LineReader reader = super.getConsoleReader(inputStream, history);
      if (reader instanceof LineReaderImpl impl && impl.getCompleter() != null
          && !(impl.getCompleter() instanceof AggregateCompleter)) {
        impl.setCompleter(new AggregateCompleter(impl.getCompleter(), names));
      }
      return reader;
    }
  }
}
