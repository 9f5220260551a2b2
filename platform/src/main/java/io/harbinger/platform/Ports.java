package io.harbinger.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks on 127.0.0.1, done before a service starts so that "in use" is reported as such. */
public final class Ports {
    private Ports() {}

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(PlatformConfig.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws "failed to start SERVICE: port N in use" for the first port taken. */
    public static void requireFree(String service, int... ports) {
        for (int port : ports) {
            if (!isFree(port)) {
                throw new PlatformException("failed to start " + service + ": port " + port + " in use");
            }
        }
    }

    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(PlatformConfig.HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free a moment ago (for tests and throwaway instances). */
    public static int pickFree() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(PlatformConfig.HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new PlatformException("failed to find a free port: " + e.getMessage(), e);
        }
    }
}
