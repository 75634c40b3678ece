package dev.junction.server.session;

import dev.junction.server.ServerConfig;

import com.github.benmanes.caffeine.cache.Ticker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's Avatica connections: which principal owns each, when it was last used,
 * how many requests it has in flight and which statements it holds. Enforces the
 * per-principal connection and statement limits and finds idle connections, with time
 * from a {@link Ticker} so expiry is testable without sleeping.
 *
 * <p>Statement ids are Avatica's, global and sequential, so they say nothing about who may
 * use them: every statement (and every metadata result, which Avatica also addresses by a
 * statement id) is recorded here against the connection that created it, and
 * {@link #statementConnection} is what a request naming a statement is checked against.
 */
public final class Sessions {
  private final ServerConfig.Limits limits;
  private final Ticker ticker;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  /** Statement id to the connection that created it, for every open statement. */
  private final Map<Integer, String> statementConnections = new ConcurrentHashMap<>();

  /** One Avatica connection. */
  static final class Session {
    final String principal;
    final AtomicLong lastUsed;
    final AtomicInteger inFlight = new AtomicInteger();
    final Set<Integer> statements = ConcurrentHashMap.newKeySet();
    /** Statements being created: counted against the limit before they have an id. */
    final AtomicInteger reserved = new AtomicInteger();
    /** Statements whose result is not fully fetched yet (open cursors). */
    final Set<Integer> openCursors = ConcurrentHashMap.newKeySet();
    /** Metadata results (getTables...): owned like statements, not counted in limits. */
    final Set<Integer> metadataResults = ConcurrentHashMap.newKeySet();

    Session(String principal, long now) {
      this.principal = principal;
      this.lastUsed = new AtomicLong(now);
    }
  }

  /** Creates an empty registry. */
  public Sessions(ServerConfig.Limits limits, Ticker ticker) {
    this.limits = limits;
    this.ticker = ticker;
  }

  /**
   * Registers a connection opened by {@code principal}.
   *
   * @throws LimitExceededException if the principal has its maximum of connections
   */
  public synchronized void open(String connectionId, String principal) {
    if (sessions.containsKey(connectionId)) {
      throw new IllegalStateException("Connection already exists: " + connectionId);
    }
    long mine = sessions.values().stream().filter(s -> s.principal.equals(principal)).count();
    if (mine >= limits.maxConnectionsPerUser()) {
      throw new LimitExceededException("Too many connections for user '" + principal
          + "': " + mine + " open, the limit is " + limits.maxConnectionsPerUser()
          + " (limits.max-connections-per-user); close one and retry");
    }
    sessions.put(connectionId, new Session(principal, ticker.read()));
  }

  /** Forgets a connection and the statements it created. */
  public synchronized void closed(String connectionId) {
    Session s = sessions.remove(connectionId);
    if (s != null) {
      s.statements.forEach(id -> statementConnections.remove(id, connectionId));
      s.metadataResults.forEach(id -> statementConnections.remove(id, connectionId));
    }
  }

  /** The principal owning a connection, if the connection is known. */
  public Optional<String> owner(String connectionId) {
    Session s = sessions.get(connectionId);
    return s == null ? Optional.empty() : Optional.of(s.principal);
  }

  /**
   * Marks a request on the connection as started (it is not idle while one runs). Returns
   * whether the connection was known, in which case {@link #end} must follow.
   */
  public boolean begin(String connectionId) {
    Session s = sessions.get(connectionId);
    if (s == null) {
      return false;
    }
    s.inFlight.incrementAndGet();
    s.lastUsed.set(ticker.read());
    return true;
  }

  /** Marks a request counted by {@link #begin} as finished. */
  public void end(String connectionId) {
    Session s = sessions.get(connectionId);
    if (s != null) {
      s.inFlight.decrementAndGet();
      s.lastUsed.set(ticker.read());
    }
  }

  /**
   * Counts a statement about to be created on the connection.
   *
   * @throws LimitExceededException if the owner has its maximum of open statements
   */
  public synchronized void reserveStatement(String connectionId) {
    Session s = sessions.get(connectionId);
    if (s == null) {
      return;
    }
    int mine = sessions.values().stream().filter(x -> x.principal.equals(s.principal))
        .mapToInt(x -> x.statements.size() + x.reserved.get()).sum();
    if (mine >= limits.maxStatementsPerUser()) {
      throw new LimitExceededException("Too many open statements for user '" + s.principal
          + "': " + mine + " open, the limit is " + limits.maxStatementsPerUser()
          + " (limits.max-statements-per-user); close statements and retry");
    }
    s.reserved.incrementAndGet();
  }

  /** Replaces a reservation by the created statement's id (or drops it if id is null). */
  public synchronized void statementCreated(String connectionId, Integer statementId) {
    Session s = sessions.get(connectionId);
    if (s == null) {
      return;
    }
    s.reserved.decrementAndGet();
    if (statementId != null) {
      s.statements.add(statementId);
      statementConnections.put(statementId, connectionId);
    }
  }

  /**
   * Records a metadata result (a statement id Avatica gives to {@code getTables} and the
   * like) as created by the connection; it is not counted against the statement limit.
   */
  public synchronized void metadataResultCreated(String connectionId, int statementId) {
    Session s = sessions.get(connectionId);
    if (s != null) {
      s.metadataResults.add(statementId);
      statementConnections.put(statementId, connectionId);
    }
  }

  /**
   * The connection that created a statement, if the statement is open. A request naming
   * the statement must come on this connection.
   */
  public Optional<String> statementConnection(int statementId) {
    return Optional.ofNullable(statementConnections.get(statementId));
  }

  /** Forgets a closed statement. */
  public void statementClosed(String connectionId, int statementId) {
    Session s = sessions.get(connectionId);
    if (s != null) {
      s.statements.remove(statementId);
      s.openCursors.remove(statementId);
      s.metadataResults.remove(statementId);
    }
    statementConnections.remove(statementId, connectionId);
  }

  /** Records whether a statement still has rows to fetch. */
  public void cursor(String connectionId, int statementId, boolean open) {
    Session s = sessions.get(connectionId);
    if (s != null) {
      if (open) {
        s.openCursors.add(statementId);
      } else {
        s.openCursors.remove(statementId);
      }
    }
  }

  /** The statement ids held by a connection. */
  public List<Integer> statements(String connectionId) {
    Session s = sessions.get(connectionId);
    return s == null ? List.of() : List.copyOf(s.statements);
  }

  /** Connections unused for longer than the idle timeout and with nothing in flight. */
  public List<String> idle() {
    long now = ticker.read();
    long timeout = limits.idleTimeout().toNanos();
    List<String> out = new ArrayList<>();
    sessions.forEach((id, s) -> {
      if (s.inFlight.get() == 0 && now - s.lastUsed.get() >= timeout) {
        out.add(id);
      }
    });
    return out;
  }

  /** All connection ids. */
  public List<String> ids() {
    return List.copyOf(sessions.keySet());
  }

  /** Open connections. */
  public int connections() {
    return sessions.size();
  }

  /** Open statements over all connections. */
  public int statementCount() {
    return sessions.values().stream().mapToInt(s -> s.statements.size()).sum();
  }

  /**
   * What a drain waits for: requests in flight, result sets not fully fetched and
   * statements not yet closed (a client closes its statement right after reading the last
   * row; an idle connection without statements does not hold the drain).
   */
  public int busy() {
    return sessions.values().stream()
        .mapToInt(s -> s.inFlight.get() + s.openCursors.size() + s.statements.size()).sum();
  }
}
