// Many-maps workload for GoMapScaleIT: after a delay, creates N live maps, each grown past its first hashGrow
// (9 entries into a map made without a size hint), BATCH at a time 10 ms apart (0: all at once), prints "ready N",
// then reads commands from stdin:
// "exec" execs /bin/sleep (same pid, another program), EOF exits.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var maps []map[int]int

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	delay, _ := time.ParseDuration(os.Args[2])
	batch := 0
	if len(os.Args) > 3 {
		batch, _ = strconv.Atoi(os.Args[3])
	}
	time.Sleep(delay) // lets the collector find this process first
	maps = make([]map[int]int, 0, n)
	for i := 0; i < n; i++ {
		if batch > 0 && i > 0 && i%batch == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		m := make(map[int]int)
		for k := 0; k < 9; k++ {
			m[k] = k
		}
		maps = append(maps, m)
	}
	fmt.Printf("ready %d\n", len(maps))
	os.Stdout.Sync()
	r := bufio.NewReader(os.Stdin)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if strings.TrimSpace(line) == "exec" {
			err := syscall.Exec("/bin/sleep", []string{"sleep", "60"}, os.Environ())
			fmt.Fprintln(os.Stderr, "exec failed:", err)
			os.Exit(1)
		}
	}
}
