/*
 * mayreplace.c — an output file named outside an outputs folder replaces
 * only a new file or an earlier output of its kind (cli.h).
 */
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"

int sim_cli_may_replace(const char *cmd, const char *opt, const char *path, const char *what,
                        int (*earlier)(const char *head, size_t n))
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
        return 0;
    char head[256];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (earlier(head, n))
        return 0;
    fprintf(stderr, "edgesim %s: %s %s: expected a new file or an earlier %s, found other "
                    "content (a %s replaces the file as a whole: choose another name)\n",
            cmd, opt, path, what, what);
    return -1;
}
