/* Known-count syscall workload for SyscallRecordIT. Built static so no dynamic loader adds openat calls.
 * usage: hbwork_c GETPPID SLEEPS SLEEP_NS ENOENT_OPENS */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long getppids = argc > 1 ? atol(argv[1]) : 10000;
	long sleeps = argc > 2 ? atol(argv[2]) : 20;
	long sleep_ns = argc > 3 ? atol(argv[3]) : 10000000;
	long opens = argc > 4 ? atol(argv[4]) : 500;
	struct timespec ts = { .tv_sec = sleep_ns / 1000000000L, .tv_nsec = sleep_ns % 1000000000L };
	long i;

	for (i = 0; i < getppids; i++)
		syscall(SYS_getppid);
	for (i = 0; i < sleeps; i++)
		syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	for (i = 0; i < opens; i++)
		syscall(SYS_openat, AT_FDCWD, "/nonexistent/harbinger-workload", O_RDONLY);
	return 0;
}
