/*
 * memfdload.c — a test program (built by the e2e tests with the system cc,
 * never installed) that puts code in an in-memory file the way fileless
 * loaders do, then waits to be looked at:
 *   memfdload lib LIBRARY   copies the harmless shared object LIBRARY into
 *                           a memfd and dlopens it through /proc/self/fd/N
 *   memfdload data FILE     the same bytes mapped readable only (not code)
 *   memfdload jit           bytes that are not an ELF object mapped
 *                           executable from a memfd (a JIT's double mapping)
 * It prints "ready" when the mapping is in place and sleeps until killed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int copy_into(int fd, const char *path)
{
	int in = open(path, O_RDONLY);
	if (in < 0)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return -1;
	close(in);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int fd = memfd_create(strcmp(argv[1], "jit") == 0 ? "rs-jit" : "rs-test-lib", MFD_CLOEXEC);
	if (fd < 0)
		return 1;
	if (strcmp(argv[1], "lib") == 0 && argc > 2) {
		if (copy_into(fd, argv[2]) < 0)
			return 1;
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		void *h = dlopen(path, RTLD_NOW);
		if (!h) {
			fprintf(stderr, "%s\n", dlerror());
			return 1;
		}
		int (*add)(int, int) = (int (*)(int, int))dlsym(h, "rs_clean_add");
		if (!add || add(2, 3) != 5)
			return 1;
	} else if (strcmp(argv[1], "data") == 0 && argc > 2) {
		if (copy_into(fd, argv[2]) < 0 || mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED)
			return 1;
	} else if (strcmp(argv[1], "jit") == 0) {
		unsigned char code[4096];
		memset(code, 0xc3, sizeof(code)); /* ret, never called */
		if (write(fd, code, sizeof(code)) != (ssize_t)sizeof(code) ||
		    mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0) == MAP_FAILED)
			return 1;
	} else {
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
