package dev.junction.security;

import dev.junction.security.PolicyFixture.Caller;
import dev.junction.security.PolicyFixture.Customer;
import dev.junction.security.PolicyFixture.Kind;
import dev.junction.security.PolicyFixture.Order;
import dev.junction.security.PolicyFixture.Target;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What one caller may see of one adapter's fixture tables, computed in Java from the rows
 * stored: the answer every attack is checked against. Also fills an attack's SQL template
 * with the target's names and with values hidden from this caller.
 *
 * <p>Placeholders: {@code {o}}, {@code {c}}, {@code {s}} (orders, customers, secrets as
 * {@code source.schema.table}), {@code {src}}, {@code {schema}} and their upper-case
 * spellings {@code {SRC}}, {@code {SCHEMA}}; {@code {hr}} a region and {@code {ht}} a
 * tenant the caller may not see, {@code {hrw}} that region in full-width letters;
 * {@code {hid}} and {@code {hcard}} the id and real card number of a hidden row,
 * {@code {hcard4}} its first four digits; {@code {vid}}, {@code {ocard}} and
 * {@code {ol4}} the id, real card number and last four digits of a row the caller sees
 * (for a caller who sees none, of a row ana sees).
 *
 * @param target the adapter's names
 * @param caller the caller
 * @param other another adapter's names, for joins across sources ({@code {xc}}: its
 *     customers)
 */
public record View(Target target, Caller caller, Target other) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9]+)}");

  /** The orders the caller sees, by id, as they see them (masked for analysts). */
  public List<Order> orders() {
    return PolicyFixture.ORDERS.stream().filter(caller::sees)
        .map(o -> caller.kind == Kind.ADMIN ? o : o.masked()).toList();
  }

  /** The ids of {@link #orders()}. */
  public Set<Integer> orderIds() {
    return orders().stream().map(Order::id).collect(Collectors.toSet());
  }

  /** The customers the caller sees. */
  public List<Customer> customers() {
    return caller.kind == Kind.OUTSIDER ? List.of() : PolicyFixture.CUSTOMERS;
  }

  /** A region whose rows the caller does not see. */
  public String hiddenRegion() {
    return "US".equals(caller.region) ? "EU" : "US";
  }

  /** A tenant whose rows the caller does not see. */
  public int hiddenTenant() {
    return caller.tenant != null && caller.tenant == 7 ? 42 : 7;
  }

  /** A stored row the caller does not see, in {@link #hiddenRegion()}. */
  public Order hiddenRow() {
    return PolicyFixture.ORDERS.stream()
        .filter(o -> !caller.sees(o) && o.region().equals(hiddenRegion())).findFirst()
        .orElseThrow();
  }

  /** A stored row the caller sees; for a caller who sees none, one that ana sees. */
  public Order ownRow() {
    return PolicyFixture.ORDERS.stream().filter(caller::sees).findFirst()
        .orElseGet(() -> PolicyFixture.ORDERS.stream().filter(Caller.ANA::sees).findFirst()
            .orElseThrow());
  }

  /** The template with every placeholder filled in. */
  public String resolve(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(value(m.group(1))));
    }
    m.appendTail(b);
    return b.toString();
  }

  private String value(String name) {
    return switch (name) {
      case "o" -> target.table("orders");
      case "c" -> target.table("customers");
      case "s" -> target.table("secrets");
      case "xc" -> other.table("customers");
      case "src" -> target.source();
      case "schema" -> target.schema();
      case "SRC" -> target.source().toUpperCase(Locale.ROOT);
      case "SCHEMA" -> target.schema().toUpperCase(Locale.ROOT);
      case "hr" -> hiddenRegion();
      case "hrw" -> hiddenRegion().chars()
          .mapToObj(ch -> String.valueOf((char) (ch - 'A' + 0xFF21)))
          .collect(Collectors.joining());
      case "ht" -> String.valueOf(hiddenTenant());
      case "hid" -> String.valueOf(hiddenRow().id());
      case "hcard" -> hiddenRow().card();
      case "hcard4" -> hiddenRow().card().substring(0, 4);
      case "vid" -> String.valueOf(ownRow().id());
      case "ocard" -> ownRow().card();
      case "ol4" -> ownRow().card().substring(12);
      default -> throw new IllegalArgumentException("unknown placeholder {" + name + "}");
    };
  }

  @Override public String toString() {
    return target.adapter() + " as " + caller.user;
  }
}
