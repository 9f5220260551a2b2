package io.harbinger.platform;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of a service JVM that must not outlive the JVM that started it (test harness): runs the real main
 * class given as the first argument, and halts once standard input - a pipe held by the parent - reaches end of
 * file, which happens however the parent dies, SIGKILL included. Depends on nothing but the JDK, because it
 * runs on the service's own classpath.
 */
public final class ExitWithParent {
    private ExitWithParent() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ExitWithParent MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[64];
            try {
                while (in.read(buf) >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the parent is gone too
            }
            System.err.println("parent process is gone: exiting");
            Runtime.getRuntime().halt(0);
        }, "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
        // the one reflective call: delegating to a main class named at run time, as any launcher does
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
