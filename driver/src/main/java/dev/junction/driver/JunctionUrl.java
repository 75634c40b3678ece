package dev.junction.driver;

import org.apache.calcite.avatica.ConnectStringParser;

import java.sql.SQLException;
import java.util.Properties;

/** Parses the part of a {@code jdbc:junction:} URL after the prefix into properties. */
final class JunctionUrl {
  private JunctionUrl() {
  }

  static Properties parse(String suffix) throws SQLException {
    try {
      return ConnectStringParser.parse(suffix);
    } catch (SQLException e) {
      throw Errors.invalidUrl("malformed jdbc:junction: URL: " + e.getMessage()
          + "; expected jdbc:junction:config=/path/junction.yaml[;name=value...]");
    }
  }
}
