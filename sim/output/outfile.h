/*
 * outfile.h — outputs that are either whole or absent.
 *
 * Every output file is written to a temporary name beside its final path
 * (".NAME.XXXXXX" in the same directory, so the rename cannot cross file
 * systems) and renamed into place only when complete. A failed run leaves
 * the previous file, if any, untouched and no temporary behind.
 */
#ifndef SIM_OUTFILE_H
#define SIM_OUTFILE_H

#include <stdio.h>

typedef struct sim_outfile {
    FILE *fp;        /* write here with stdio */
    char *path;      /* final path (owned) */
    char *tmp_path;  /* temporary path (owned) */
} sim_outfile;

/* Opens a temporary file for final path `path`. Returns 0, or -1 with errno
 * set (the directory must exist; see sim_mkdirs). */
int sim_outfile_open(sim_outfile *o, const char *path);

/* Flushes, closes and renames the temporary file into place. Returns 0, or
 * -1 with errno set, in which case the temporary file is removed. Either way
 * o is released. */
int sim_outfile_commit(sim_outfile *o);

/* Closes and removes the temporary file, leaving any old file at the final
 * path as it was. Safe on a zeroed or already released o. */
void sim_outfile_abort(sim_outfile *o);

/* Writes the whole string s to path atomically. Returns 0 or -1 (errno). */
int sim_write_file_atomic(const char *path, const char *s);

/* Creates directory dir and its missing parents (mode 0777 & umask).
 * Returns 0 when it exists afterwards, -1 with errno set otherwise. */
int sim_mkdirs(const char *dir);

#endif
