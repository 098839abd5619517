/* Pins sim/outfile: outputs appear whole or not at all; no temporary stays;
 * a failed write keeps its errno (a full disk is ENOSPC, never EIO or
 * ENOMEM); an output set replaces its folder in one step or not at all. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

Test(outfile, a_fifo_or_device_is_written_as_it_is_never_replaced, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    /* renaming a temporary over /dev/null (`--trace /dev/null` as root)
     * replaced the device with a regular file; a FIFO stands in for it */
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    int rfd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so the writer's open returns */
    cr_assert(rfd >= 0);
    sim_outfile o;
    cr_assert_eq(sim_outfile_open(&o, fifo), 0);
    fputs("through\n", o.fp);
    cr_assert_eq(sim_outfile_commit(&o), 0);
    char buf[32] = {0};
    cr_expect_eq(read(rfd, buf, sizeof buf - 1), 8);
    cr_expect_str_eq(buf, "through\n");
    close(rfd);
    struct stat st;
    cr_assert_eq(stat(fifo, &st), 0);
    cr_expect(S_ISFIFO(st.st_mode), "still a FIFO");
    cr_expect_eq(entries(), 1, "no temporary beside it");
    /* a directory is no output file */
    cr_expect_eq(sim_outfile_open(&o, dir), -1);
    cr_expect_eq(errno, EISDIR);
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

/* A write past RLIMIT_FSIZE fails with EFBIG, as one on a full disk fails
 * with ENOSPC: the error the commit reports is the write's own. */
static void limit_file_size(rlim_t bytes)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {bytes, bytes};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

Test(outfile, a_failed_write_is_reported_with_its_errno, .init = mkdir_tmp, .fini = rm_tmp)
{
    char path[128];
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    cr_assert_eq(sim_write_file_atomic(path, "old\n"), 0);
    limit_file_size(4096);
    sim_outfile o;
    cr_assert_eq(sim_outfile_open(&o, path), 0);
    cr_expect_eq(sim_outfile_error(&o), 0);
    for (int i = 0; i < 20000; i++)
        fputs("0.000000000,1.000000000,12,12\n", o.fp);
    cr_expect_eq(sim_outfile_error(&o), EFBIG, "the first failed write's errno is kept");
    errno = 0;
    cr_expect_eq(sim_outfile_commit(&o), -1);
    cr_expect_eq(errno, EFBIG, "commit reports the write's errno, not EIO");
    cr_expect_str_eq(slurp(path), "old\n", "the old file is untouched");
    cr_expect_eq(entries(), 1, "no temporary left");
}

Test(outfile, a_write_failing_only_at_the_final_flush_is_reported, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    char path[128];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    limit_file_size(100);
    static char big[1000];
    memset(big, 'x', sizeof big - 1);
    errno = 0;
    cr_expect_eq(sim_write_file_atomic(path, big), -1);
    cr_expect_eq(errno, EFBIG);
    cr_expect_eq(entries(), 0);
}

static int exists(const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct stat st;
    return lstat(p, &st) == 0;
}

/* The folder's entries whose names start with prefix. */
static int count_prefix(const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void write_in(const char *folder, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", folder, name);
    cr_assert_eq(sim_write_file_atomic(p, text), 0);
}

Test(outset, publishes_a_new_folder_in_one_rename, .init = mkdir_tmp, .fini = rm_tmp)
{
    char target[128], err[256], p[256];
    snprintf(target, sizeof target, "%s/deep/run", dir);
    sim_outset s;
    cr_assert_eq(sim_outset_begin(&s, target, "summary.json", err, sizeof err), 0, "%s", err);
    cr_expect_eq(strncmp(s.staging, dir, strlen(dir)), 0, "beside the target");
    cr_expect_not_null(strstr(s.staging, "/deep/.run.tmp-"));
    write_in(s.staging, "summary.json", "new\n");
    snprintf(p, sizeof p, "%s/summary.json", target);
    cr_expect_null(slurp(p), "nothing at the target before publishing");
    cr_assert_eq(sim_outset_publish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(slurp(p), "new\n");
    cr_expect_null(s.staging, "released");
}

Test(outset, replaces_an_earlier_set_whole_and_removes_it, .init = mkdir_tmp, .fini = rm_tmp)
{
    char target[128], err[256], p[256];
    snprintf(target, sizeof target, "%s/run", dir);
    cr_assert_eq(sim_mkdirs(target), 0);
    write_in(target, "summary.json", "old\n");
    write_in(target, "timeseries.csv", "old\n");
    sim_outset s;
    cr_assert_eq(sim_outset_begin(&s, target, "summary.json", err, sizeof err), 0, "%s", err);
    write_in(s.staging, "summary.json", "new\n");
    snprintf(p, sizeof p, "%s/summary.json", target);
    cr_expect_str_eq(slurp(p), "old\n", "the old set stays until publishing");
    cr_assert_eq(sim_outset_publish(&s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(slurp(p), "new\n");
    snprintf(p, sizeof p, "%s/timeseries.csv", target);
    cr_expect_null(slurp(p), "an old file the new set lacks does not linger");
    cr_expect_eq(count_prefix(".run."), 0, "no temporary or old folder left");
}

Test(outset, abort_leaves_the_earlier_set_as_it_was, .init = mkdir_tmp, .fini = rm_tmp)
{
    char target[128], err[256], p[256];
    snprintf(target, sizeof target, "%s/run", dir);
    cr_assert_eq(sim_mkdirs(target), 0);
    write_in(target, "summary.json", "old\n");
    sim_outset s;
    cr_assert_eq(sim_outset_begin(&s, target, "summary.json", err, sizeof err), 0, "%s", err);
    cr_assert_eq(sim_mkdirs(s.staging), 0);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/plots", s.staging);
    cr_assert_eq(sim_mkdirs(sub), 0);
    write_in(sub, "load.svg", "<svg/>");
    write_in(s.staging, "summary.json", "half\n");
    sim_outset_abort(&s);
    snprintf(p, sizeof p, "%s/summary.json", target);
    cr_expect_str_eq(slurp(p), "old\n");
    cr_expect_eq(count_prefix(".run."), 0, "the temporary folder is removed, subfolders too");
    sim_outset_abort(&s); /* twice is harmless */
}

Test(outset, refuses_folders_it_must_not_replace, .init = mkdir_tmp, .fini = rm_tmp)
{
    char target[128], err[512];
    sim_outset s;
    /* a folder with other files: never replaced */
    snprintf(target, sizeof target, "%s/mine", dir);
    cr_assert_eq(sim_mkdirs(target), 0);
    write_in(target, "notes.txt", "keep me");
    cr_expect_eq(sim_outset_begin(&s, target, "summary.json", err, sizeof err), -1);
    cr_expect_not_null(strstr(err, "expected an empty folder or earlier outputs (with summary.json)"),
                       "%s", err);
    cr_expect_null(s.staging);
    /* ".", "..", a trailing "/." */
    cr_expect_eq(sim_outset_begin(&s, ".", "summary.json", err, sizeof err), -1);
    cr_expect_not_null(strstr(err, "expected a folder that can be replaced as a whole"), "%s", err);
    snprintf(target, sizeof target, "%s/mine/..", dir);
    cr_expect_eq(sim_outset_begin(&s, target, "summary.json", err, sizeof err), -1);
    cr_expect_eq(sim_outset_begin(&s, "/", "summary.json", err, sizeof err), -1);
    /* a symbolic link and a file */
    char link[160];
    snprintf(link, sizeof link, "%s/link", dir);
    cr_assert_eq(symlink(target, link), 0);
    cr_expect_eq(sim_outset_begin(&s, link, "summary.json", err, sizeof err), -1);
    cr_expect_not_null(strstr(err, "symbolic link"), "%s", err);
    write_in(dir, "file", "x");
    snprintf(target, sizeof target, "%s/file", dir);
    cr_expect_eq(sim_outset_begin(&s, target, "summary.json", err, sizeof err), -1);
    cr_expect(exists("mine/notes.txt") && count_prefix(".") == 2, "nothing made, nothing removed");
}

Test(outset, error_lines_name_the_target_not_the_temporary_folder, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    char target[128], err[256], msg[512];
    snprintf(target, sizeof target, "%s/run", dir);
    sim_outset s;
    cr_assert_eq(sim_outset_begin(&s, target, NULL, err, sizeof err), 0, "%s", err);
    snprintf(msg, sizeof msg, "run failed: %s/health.csv: cannot write: No space left on device",
             s.staging);
    sim_outset_rename_in(&s, msg, sizeof msg);
    char want[512];
    snprintf(want, sizeof want, "run failed: %s/health.csv: cannot write: No space left on device",
             target);
    cr_expect_str_eq(msg, want);
    sim_outset_abort(&s);
}

Test(outfile, remove_tree_removes_folders_and_never_follows_links, .init = mkdir_tmp,
     .fini = rm_tmp)
{
    char a[160], keep[160], link[200];
    snprintf(a, sizeof a, "%s/a/b/c", dir);
    cr_assert_eq(sim_mkdirs(a), 0);
    write_in(a, "f", "x");
    snprintf(keep, sizeof keep, "%s/keep", dir);
    cr_assert_eq(sim_mkdirs(keep), 0);
    write_in(keep, "precious", "x");
    snprintf(link, sizeof link, "%s/a/link", dir);
    cr_assert_eq(symlink(keep, link), 0);
    snprintf(a, sizeof a, "%s/a", dir);
    cr_expect_eq(sim_remove_tree(a), 0);
    cr_expect(!exists("a"));
    cr_expect(exists("keep/precious"), "the link's target is not touched");
}
