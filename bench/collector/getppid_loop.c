/* Tight getppid loop. usage: getppid_loop ITERATIONS [RATE_PER_SEC]
 *
 * Without a rate it times the loop in chunks of 1000 syscalls and prints one line:
 *   mean NS cpu NS p10 NS p50 NS min NS
 * (ns per syscall: wall mean, user+system CPU time per syscall, and the 10th percentile / median / minimum of
 * the chunks). On a shared host the mean is mostly time spent waiting for the CPU; the low chunk percentiles
 * are what one syscall costs when the loop is running, which is what a probe adds to.
 * With RATE_PER_SEC the loop paces itself (for the RSS/CPU-at-load measurement) and prints the mean only. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 1000

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long cpu_ns(void)
{
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000000LL
	       + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1000LL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int paced(long n, long rate)
{
	long long start = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		syscall(SYS_getppid);
		if ((i % 1000) == 999) {
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

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 5000000;
	long rate = argc > 2 ? atol(argv[2]) : 0;
	long chunks, j, i;
	long long start, end, cpu0;
	double *c;

	if (rate)
		return paced(n, rate);
	chunks = n / CHUNK;
	if (chunks < 10) {
		fprintf(stderr, "getppid_loop: need at least %d iterations\n", 10 * CHUNK);
		return 2;
	}
	c = malloc(sizeof(*c) * chunks);
	if (!c)
		return 1;
	cpu0 = cpu_ns();
	start = now_ns();
	for (j = 0; j < chunks; j++) {
		long long t = now_ns();

		for (i = 0; i < CHUNK; i++)
			syscall(SYS_getppid);
		c[j] = (double)(now_ns() - t) / CHUNK;
	}
	end = now_ns();
	n = chunks * CHUNK;
	qsort(c, chunks, sizeof(*c), cmp);
	printf("mean %.1f cpu %.1f p10 %.1f p50 %.1f min %.1f\n", (double)(end - start) / n,
	       (double)(cpu_ns() - cpu0) / n, c[chunks / 10], c[chunks / 2], c[0]);
	return 0;
}
