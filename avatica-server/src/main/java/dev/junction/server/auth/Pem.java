package dev.junction.server.auth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the base64 blocks of a PEM file. */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

  private Pem() {
  }

  /**
   * The DER bytes of every block whose label ends with {@code label} (so
   * {@code PRIVATE KEY} finds {@code PRIVATE KEY} blocks), in file order.
   *
   * @throws IOException if there is none
   */
  public static List<byte[]> decode(String text, String label) throws IOException {
    List<byte[]> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        out.add(Base64.getMimeDecoder().decode(m.group(2)));
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no '-----BEGIN " + label + "-----' block");
    }
    return out;
  }
}
