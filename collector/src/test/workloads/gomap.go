// Go map workload for GoMapRecordIT: grows one map to N keys, deletes M, reports the header it built
// (address, B, count read through unsafe from the runtime's hmap), then waits for stdin to close.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"time"
	"unsafe"
)

// the first fields of runtime.hmap (go1.19)
type hmap struct {
	count     int
	flags     uint8
	B         uint8
	noverflow uint16
	hash0     uint32
}

var sink map[int]int

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	m, _ := strconv.Atoi(os.Args[2])
	delay, _ := time.ParseDuration(os.Args[3])
	time.Sleep(delay) // lets the collector find this process first
	sink = make(map[int]int)
	for i := 0; i < n; i++ {
		sink[i] = i
	}
	for i := 0; i < m; i++ {
		delete(sink, i)
	}
	h := *(**hmap)(unsafe.Pointer(&sink))
	fmt.Printf("ready addr=%d B=%d count=%d len=%d\n", uintptr(unsafe.Pointer(h)), h.B, h.count, len(sink))
	os.Stdout.Sync()
	bufio.NewReader(os.Stdin).ReadString('\n')
}
