// leaky is the demo's workload: a small Go service whose session cache never expires enough, so its map grows
// steadily (about -rate entries a second) until -max. Harbinger's collector finds the map through its eBPF probe
// on runtime.hashGrow and reads the map header from /proc/PID/mem; nothing here talks to Harbinger.
//
// It also does a little I/O each tick (a log write, an fdatasync now and then, a /proc read, a short sleep) so its
// syscalls show up beside the host's. It exits on SIGINT/SIGTERM and when its stdin closes (the demo that started
// it is gone), so it never outlives the demo.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

type session struct {
	user    uint64
	created int64
}

// sessions is the leaking cache. It lives on the heap, as a service's cache does: a map local to main() that does
// not escape would have its header on the goroutine stack, and the header moves whenever the stack grows.
var sessions = make(map[uint64]session)

func main() {
	rate := flag.Float64("rate", 10000, "entries added per second")
	churn := flag.Float64("churn", 0.02, "fraction of added entries deleted again (expiry that cannot keep up)")
	max := flag.Int("max", 3000000, "stop growing at this many entries")
	delay := flag.Duration("delay", 0, "wait this long before the leak starts")
	dir := flag.String("dir", os.TempDir(), "directory of the service's log file")
	flag.Parse()

	stop := make(chan os.Signal, 2)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() { // stdin closes when the parent dies, even by SIGKILL
		io.Copy(io.Discard, os.Stdin)
		stop <- syscall.SIGHUP
	}()

	logFile, err := os.OpenFile(filepath.Join(*dir, "leaky.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "leaky: cannot open log:", err)
		os.Exit(1)
	}
	defer logFile.Close()

	select {
	case <-time.After(*delay):
	case <-stop:
		return
	}

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	start := time.Now()
	var added, deleted float64
	var next uint64
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	fmt.Printf("leaky: pid %d, leaking %.0f entries/s up to %d\n", os.Getpid(), *rate, *max)
	for n := 0; ; n++ {
		select {
		case <-stop:
			fmt.Printf("leaky: stopping with %d entries\n", len(sessions))
			return
		case now := <-tick.C:
			// grow towards rate * elapsed (so scheduling hiccups do not bend the line), in uneven batches
			target := *rate * (now.Sub(start).Seconds() + 0.3*rng.Float64())
			for added < target && len(sessions) < *max {
				next++
				sessions[next] = session{user: rng.Uint64(), created: now.UnixNano()}
				added++
			}
			// expiry: remove a few of the oldest-ish keys
			for deleted < *churn*added {
				delete(sessions, uint64(deleted)+1)
				deleted++
			}
			fmt.Fprintf(logFile, "%s sessions=%d\n", now.Format(time.RFC3339Nano), len(sessions))
			if n%10 == 0 {
				logFile.Sync()
				os.ReadFile("/proc/self/stat")
			}
			time.Sleep(time.Duration(rng.Intn(3)) * time.Millisecond)
		}
	}
}
