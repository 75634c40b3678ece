package dev.junction.testing;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;

/**
 * A socket factory for pgjdbc's {@code socketFactory} connection property that keeps a
 * copy of every byte the client sends, so a test can count the statements that reached
 * the server (with {@code prepareThreshold=0} every execution sends its SQL text, and with
 * {@code sslmode=disable} it is sent in clear). Its sockets are plain TCP otherwise.
 */
public final class SentBytesSocketFactory extends SocketFactory {
  private static final List<ByteArrayOutputStream> SENT = new ArrayList<>();

  /** How often {@code text} occurs in what this factory's sockets have sent so far. */
  public static int occurrences(String text) {
    int count = 0;
    synchronized (SENT) {
      for (ByteArrayOutputStream sent : SENT) {
        String s;
        synchronized (sent) {
          s = sent.toString(StandardCharsets.ISO_8859_1);
        }
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + text.length())) {
          count++;
        }
      }
    }
    return count;
  }

  /** Forgets what was sent so far. */
  public static void clear() {
    synchronized (SENT) {
      SENT.clear();
    }
  }

  @Override public Socket createSocket() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    synchronized (SENT) {
      SENT.add(copy);
    }
    return new Socket() {
      @Override public OutputStream getOutputStream() throws IOException {
        return new FilterOutputStream(super.getOutputStream()) {
          @Override public void write(int b) throws IOException {
            synchronized (copy) {
              copy.write(b);
            }
            out.write(b);
          }

          @Override public void write(byte[] b, int off, int len) throws IOException {
            synchronized (copy) {
              copy.write(b, off, len);
            }
            out.write(b, off, len);
          }
        };
      }
    };
  }

  @Override public Socket createSocket(String host, int port) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override public Socket createSocket(String host, int port, InetAddress localHost,
      int localPort) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override public Socket createSocket(InetAddress host, int port) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }

  @Override public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
      int localPort) {
    throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
  }
}
