#include "common/hugepages.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

#if defined(__linux__) && defined(MADV_HUGEPAGE)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* linux/mman.h of 6.1; older headers lack it */
#endif

/* The 2 MiB-aligned part of [lo, hi): *a and *b; false when empty. */
static int aligned_part(uintptr_t lo, uintptr_t hi, uintptr_t *a, uintptr_t *b)
{
    *a = (lo + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    *b = hi & ~(HUGE_PAGE - 1);
    return *b > *a;
}

/* Calls fn on the aligned part of every private writable anonymous mapping
 * (the heap included, the stack not) that is at least half resident;
 * returns the bytes covered. Residence keeps out what is reserved and
 * barely touched: a sanitizer's shadow (terabytes), thread stacks' guard
 * areas, arenas malloc has not yet used. */
static size_t each_region(FILE *smaps, void (*fn)(uintptr_t a, uintptr_t b))
{
    char line[512];
    size_t total = 0;
    uintptr_t a = 0, b = 0;
    int candidate = 0;
    while (fgets(line, sizeof line, smaps)) {
        unsigned long lo, hi, off, ino, rss_kb;
        char perms[8], dev[16], path[256] = "";
        int k = sscanf(line, "%lx-%lx %7s %lx %15s %lu %255s", &lo, &hi, perms, &off, dev, &ino,
                       path);
        if (k >= 6) { /* a mapping's header line; its fields (Rss: ...) follow */
            candidate = strcmp(perms, "rw-p") == 0 && ino == 0 &&
                        (!path[0] || strcmp(path, "[heap]") == 0) && aligned_part(lo, hi, &a, &b);
            continue;
        }
        if (candidate && sscanf(line, "Rss: %lu kB", &rss_kb) == 1) {
            candidate = 0;
            if ((uintptr_t)rss_kb * 1024 * 2 < b - a)
                continue;
            if (fn)
                fn(a, b);
            total += b - a;
        }
    }
    return total;
}

static void advise(uintptr_t a, uintptr_t b)
{
    if (madvise((void *)a, b - a, MADV_HUGEPAGE) == 0)
        (void)madvise((void *)a, b - a, MADV_COLLAPSE); /* best effort */
}

size_t sim_hugepages_advise(size_t min_bytes)
{
    const char *env = getenv("EDGESIM_HUGEPAGES");
    if (env && strcmp(env, "0") == 0)
        return 0;
    FILE *smaps = fopen("/proc/self/smaps", "r");
    if (!smaps)
        return 0;
    size_t done = 0;
    if (each_region(smaps, NULL) >= min_bytes) {
        rewind(smaps);
        done = each_region(smaps, advise);
    }
    fclose(smaps);
    return done;
}
#else
size_t sim_hugepages_advise(size_t min_bytes)
{
    (void)min_bytes;
    return 0;
}
#endif

/* ---- from birth: glibc's tunable, set by starting again ---- */

#define TUNABLE "glibc.malloc.hugetlb"
#define T0_VAR "EDGESIM_SETUP_T0"

static int turned_off(void)
{
    const char *env = getenv("EDGESIM_HUGEPAGES");
    return env && strcmp(env, "0") == 0;
}

const char *sim_hugepages_mode(void)
{
#ifdef __GLIBC__
    const char *t = getenv("GLIBC_TUNABLES");
    if (t && (strstr(t, TUNABLE "=1") || strstr(t, TUNABLE "=2")))
        return "from birth"; /* whoever set it: glibc applies it */
#endif
    return turned_off() ? "off" : "after set-up";
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SANITIZED 1
#endif
#endif

const char *sim_hugepages_reexec_blocker(void)
{
#if !defined(__linux__) || !defined(__GLIBC__)
    return "not Linux with glibc";
#elif defined(SANITIZED)
    return "a sanitizer's allocator"; /* malloc is not glibc's */
#else
    if (turned_off())
        return "EDGESIM_HUGEPAGES=0";
    const char *t = getenv("GLIBC_TUNABLES");
    if (t && strstr(t, TUNABLE))
        return TUNABLE " already set";
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        return "valgrind"; /* /proc/self/exe is valgrind's own program */
    char mode[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) {
        if (!fgets(mode, sizeof mode, f))
            mode[0] = 0;
        fclose(f);
    }
    if (!strstr(mode, "[madvise]"))
        return "transparent huge pages not in madvise mode";
    return NULL;
#endif
}

/* The process's arguments as the kernel keeps them: a NULL-terminated
 * array into one buffer (*buf, the caller frees both), or NULL. */
static char **own_arguments(char **buf)
{
    *buf = NULL;
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t len = 0, cap = 4096;
    char *b = malloc(cap + 1);
    while (b) {
        if (len == cap) {
            char *g = realloc(b, 2 * cap + 1);
            if (!g) { /* no partial argument list */
                free(b);
                b = NULL;
                break;
            }
            b = g;
            cap *= 2;
        }
        ssize_t k = read(fd, b + len, cap - len);
        if (k <= 0) {
            if (k == 0) /* the end */
                break;
            free(b);
            b = NULL;
        } else {
            len += (size_t)k;
        }
    }
    close(fd);
    if (!b || len == 0) {
        free(b);
        return NULL;
    }
    b[len] = 0; /* the last argument's NUL, should the text lack it */
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += b[i] == 0;
    if (b[len - 1] != 0)
        n++;
    char **argv = calloc(n + 1, sizeof *argv);
    if (!argv) {
        free(b);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < len && k < n; i += strlen(b + i) + 1)
        argv[k++] = b + i;
    *buf = b;
    return argv;
}

void sim_hugepages_reexec(double t0)
{
    if (sim_hugepages_reexec_blocker())
        return;
    char *buf, **argv = own_arguments(&buf);
    if (!argv)
        return;
    const char *old = getenv("GLIBC_TUNABLES");
    char *saved = old ? strdup(old) : NULL;
    size_t n = (old ? strlen(old) + 1 : 0) + sizeof TUNABLE "=1";
    char *tun = malloc(n), t0s[64];
    if (tun && (!old || saved)) {
        snprintf(tun, n, "%s%s" TUNABLE "=1", old ? old : "", old ? ":" : "");
        snprintf(t0s, sizeof t0s, "%.9f", t0);
        if (setenv("GLIBC_TUNABLES", tun, 1) == 0 && setenv(T0_VAR, t0s, 1) == 0) {
            fflush(NULL);
            execv("/proc/self/exe", argv);
        }
        /* not started again: the environment as it was */
        if (saved)
            setenv("GLIBC_TUNABLES", saved, 1);
        else
            unsetenv("GLIBC_TUNABLES");
        unsetenv(T0_VAR);
    }
    free(tun);
    free(saved);
    free(argv);
    free(buf);
}

double sim_hugepages_setup_t0(double now)
{
    const char *s = getenv(T0_VAR);
    if (!s)
        return now;
    char *end;
    double t = strtod(s, &end);
    int ok = end != s && *end == 0 && t > 0 && t <= now;
    unsetenv(T0_VAR);
    return ok ? t : now;
}
