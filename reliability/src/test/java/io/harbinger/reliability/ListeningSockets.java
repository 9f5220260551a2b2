package io.harbinger.reliability;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the kernel says a port listens on (/proc/net/tcp and tcp6, state LISTEN), and whether another loopback
 * address (127.0.0.2, still this machine) reaches it: a socket bound to 127.0.0.1 refuses it, a wildcard one accepts.
 * No traffic leaves the loopback range.
 */
final class ListeningSockets {
    static final String LOOPBACK = "127.0.0.1";
    static final String ANY = "0.0.0.0";

    private ListeningSockets() {}

    /** The local addresses listening on {@code port}: "127.0.0.1", "0.0.0.0" (IPv4 or the IPv6 wildcard), ... */
    static Set<String> of(int port) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String file : new String[]{"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A")) { // 0A = LISTEN
                    continue;
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) != port) {
                    continue;
                }
                out.add(address(local[0]));
            }
        }
        return out;
    }

    private static String address(String hex) {
        if (hex.length() == 8) {
            return ipv4(hex);
        }
        if (hex.equals("00000000000000000000000000000000")) {
            return ANY; // an IPv6 wildcard socket takes IPv4 too
        }
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return ipv4(hex.substring(24)); // IPv4-mapped
        }
        return "ipv6:" + hex;
    }

    private static String ipv4(String littleEndianHex) {
        long v = Long.parseLong(littleEndianHex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    /** True when a connection to 127.0.0.2:port is accepted. */
    static boolean reachableOnOtherLoopbackAddress(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.2", port), 2_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
