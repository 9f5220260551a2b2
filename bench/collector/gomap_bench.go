// Map-heavy Go program for the Go-map probe overhead: builds ROUNDS maps of KEYS int keys each (every map
// grows from empty, so runtime.hashGrow fires ~log2(KEYS/6.5) times per map) and prints ns per insert.
// usage: gomap_bench ROUNDS KEYS [START_DELAY]
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

var sink map[int]int

func main() {
	rounds, _ := strconv.Atoi(os.Args[1])
	keys, _ := strconv.Atoi(os.Args[2])
	if len(os.Args) > 3 {
		d, _ := time.ParseDuration(os.Args[3])
		time.Sleep(d) // lets a watcher find this process before the timed part
	}
	start := time.Now()
	for r := 0; r < rounds; r++ {
		m := make(map[int]int)
		for i := 0; i < keys; i++ {
			m[i*7+r] = i
		}
		sink = m
	}
	el := time.Since(start)
	fmt.Printf("%.2f\n", float64(el.Nanoseconds())/float64(rounds*keys))
}
