// Map-heavy Go program for the Go-map probe overhead: builds ROUNDS maps of KEYS int keys each (every map
// grows from empty, so runtime.hashGrow fires ~log2(KEYS/6.5) times per map; KEYS=9 makes it fire exactly
// once per map) and prints ns per insert as one line:
//
//	mean NS cpu NS p10 NS p50 NS min NS cpu_p50 NS cpu_p10 NS
//
// mean: wall time over all inserts; cpu: user+system CPU time of the process per insert (a uprobe's trap is
// system time of the traced thread, so it is in here); p10/p50/min: wall time over groups of rounds (at least
// 100,000 inserts each); cpu_p50/cpu_p10: CPU time over the same groups. On a shared host the wall mean
// includes waiting for the CPU; the group medians leave out the odd group that pays for a GC cycle or fresh
// pages, which makes them the steadiest figures.
// usage: gomap_bench ROUNDS KEYS [START_DELAY]
package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"syscall"
	"time"
)

var sink map[int]int

func cpuNs() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func main() {
	rounds, _ := strconv.Atoi(os.Args[1])
	keys, _ := strconv.Atoi(os.Args[2])
	if len(os.Args) > 3 {
		d, _ := time.ParseDuration(os.Args[3])
		time.Sleep(d) // lets a watcher find this process before the timed part
	}
	perGroup := (100000 + keys - 1) / keys
	var groups, cpuGroups []float64
	cpu0 := cpuNs()
	start := time.Now()
	for r := 0; r < rounds; r += perGroup {
		g := time.Now()
		gc := cpuNs()
		n := 0
		for k := r; k < r+perGroup && k < rounds; k++ {
			m := make(map[int]int)
			for i := 0; i < keys; i++ {
				m[i*7+k] = i
			}
			sink = m
			n++
		}
		groups = append(groups, float64(time.Since(g).Nanoseconds())/float64(n*keys))
		cpuGroups = append(cpuGroups, float64(cpuNs()-gc)/float64(n*keys))
	}
	el := time.Since(start)
	cpu := cpuNs() - cpu0
	sort.Float64s(groups)
	sort.Float64s(cpuGroups)
	total := float64(rounds * keys)
	fmt.Printf("mean %.2f cpu %.2f p10 %.2f p50 %.2f min %.2f cpu_p50 %.2f cpu_p10 %.2f\n",
		float64(el.Nanoseconds())/total, float64(cpu)/total, groups[len(groups)/10], groups[len(groups)/2],
		groups[0], cpuGroups[len(cpuGroups)/2], cpuGroups[len(cpuGroups)/10])
}
