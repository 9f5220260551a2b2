package io.harbinger.launcher.demo;

/**
 * Where the demo's events come from: this host through eBPF ({@link #live()}), or the bundled recording, with the
 * one-line reason eBPF (or the Go toolchain) cannot be used here.
 */
record DemoMode(boolean live, String fallbackReason) {
    static DemoMode liveMode() {
        return new DemoMode(true, null);
    }

    static DemoMode replay(String reason) {
        return new DemoMode(false, reason);
    }
}
