/* Tight getppid loop: prints ns per syscall. usage: getppid_loop ITERATIONS [RATE_PER_SEC]
 * With RATE_PER_SEC the loop paces itself (for the RSS/CPU-at-load measurement). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5000000;
	long rate = argc > 2 ? atol(argv[2]) : 0;
	long long start = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		syscall(SYS_getppid);
		if (rate && (i % 1000) == 999) {
			long long due = start + (long long)((i + 1) * (1e9 / rate));
			long long t = now_ns();
			if (due > t) {
				struct timespec d = { (due - t) / 1000000000LL, (due - t) % 1000000000LL };
				nanosleep(&d, NULL);
			}
		}
	}
	printf("%.1f\n", (double)(now_ns() - start) / n);
	return 0;
}
