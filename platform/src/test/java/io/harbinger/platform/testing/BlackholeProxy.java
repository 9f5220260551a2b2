package io.harbinger.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one port that can turn into a network partition: while {@link #blackhole(boolean)} is on,
 * connections are accepted and kept open but every byte in either direction is dropped (no reset, no answer: what
 * a client sees when a switch or firewall loses its packets). Turning it off closes the connections of the partition
 * (their streams lost bytes) so clients reconnect through a healthy proxy.
 */
public final class BlackholeProxy implements AutoCloseable {
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;
    private volatile boolean blackhole;
    private final Thread acceptor;

    public BlackholeProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "blackhole-proxy");
        acceptor.setDaemon(true);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Starts forwarding to 127.0.0.1:port. */
    public void start(int port) {
        targetPort = port;
        acceptor.start();
    }

    public void blackhole(boolean on) {
        blackhole = on;
        if (!on) {
            for (Socket s : open) {
                close(s);
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Socket upstream = blackhole ? null : new Socket(InetAddress.getLoopbackAddress(), targetPort);
                if (upstream != null) {
                    open.add(upstream);
                }
                pump(client, upstream);
                if (upstream != null) {
                    pump(upstream, client);
                }
            } catch (IOException e) {
                // closed, or the upstream refused: the client's connection is dropped like any network failure
            }
        }
    }

    /** Copies from -> to, or drops what arrives while the partition lasts (and always when to is null). */
    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (out != null && !blackhole) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // a side closed
            } finally {
                close(from);
                if (to != null) {
                    close(to);
                }
            }
        }, "blackhole-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            close(s);
        }
    }
}
