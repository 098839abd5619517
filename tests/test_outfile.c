/* Pins sim/outfile: outputs appear whole or not at all; no temporary stays. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/outfile.h"

static char dir[64];

static void mkdir_tmp(void)
{
    strcpy(dir, "/tmp/edgesim-outfile-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void rm_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")))
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

Test(outfile, commit_renames_into_place_and_leaves_no_temporary, .init = mkdir_tmp, .fini = rm_tmp)
{
    char path[128];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    sim_outfile o;
    cr_assert_eq(sim_outfile_open(&o, path), 0);
    fputs("a,b\n", o.fp);
    cr_expect_null(slurp(path), "nothing at the final path before commit");
    cr_assert_eq(sim_outfile_commit(&o), 0);
    cr_expect_str_eq(slurp(path), "a,b\n");
    cr_expect_eq(entries(), 1);
}

Test(outfile, abort_keeps_the_old_file, .init = mkdir_tmp, .fini = rm_tmp)
{
    char path[128];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    cr_assert_eq(sim_write_file_atomic(path, "old\n"), 0);
    sim_outfile o;
    cr_assert_eq(sim_outfile_open(&o, path), 0);
    fputs("half-written", o.fp);
    sim_outfile_abort(&o);
    cr_expect_str_eq(slurp(path), "old\n");
    cr_expect_eq(entries(), 1);
    sim_outfile_abort(&o); /* twice is harmless */
}

Test(outfile, open_in_a_missing_directory_fails_cleanly)
{
    sim_outfile o;
    cr_expect_eq(sim_outfile_open(&o, "/nonexistent-dir-edgesim/x.csv"), -1);
    cr_expect_null(o.fp);
}

Test(outfile, mkdirs_creates_parents, .init = mkdir_tmp, .fini = rm_tmp)
{
    char path[128];
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    cr_expect_eq(sim_mkdirs(path), 0);
    cr_expect_eq(sim_mkdirs(path), 0, "existing is fine");
    snprintf(path, sizeof path, "%s/a/b/c/f", dir);
    cr_assert_eq(sim_write_file_atomic(path, "x"), 0);
    cr_expect_eq(sim_mkdirs(path), -1, "a file is not a directory");
}
