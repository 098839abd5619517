/*
 * outfile.h — outputs that are either whole or absent, one file or a set.
 *
 * One file: written to a temporary name beside its final path (".NAME.XXXXXX"
 * in the same directory, so the rename cannot cross file systems) and
 * renamed into place only when complete. A failed write leaves the previous
 * file, if any, untouched and no temporary behind.
 *
 * A set (every output of one `edgesim run`, or of one `edgesim sweep`): a
 * sim_outset writes them all into a temporary folder beside the target
 * folder (PARENT/.NAME.tmp-XXXXXX, same file system) and publishes it in one
 * step: a rename when the target does not exist, else an atomic exchange of
 * the two folders (renameat2 RENAME_EXCHANGE) and the removal of the old
 * one. Where the file system cannot exchange, the old folder is moved aside
 * (PARENT/.NAME.old-XXXXXX) and the new one renamed in; for that moment the
 * target is absent, never torn. A reader sees the old complete set or the
 * new one, never a new timeseries.csv beside an old summary.json.
 *
 * Write errors keep their cause: the stream records the errno of the first
 * failed write(2) or close(2) (ENOSPC on a full disk, EDQUOT, EIO), and
 * commit reports that errno, so a full disk reads "No space left on device"
 * with the file's name, never "Input/output error" or "out of memory".
 *
 * Atomic against a killed process, a failed run and a full disk; nothing is
 * fsync'ed, so not against a power cut.
 */
#ifndef SIM_OUTFILE_H
#define SIM_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct sim__outsink sim__outsink;

typedef struct sim_outfile {
    FILE *fp;           /* write here with stdio */
    char *path;         /* final path (owned) */
    char *tmp_path;     /* temporary path (owned); NULL when writing to path itself */
    sim__outsink *sink; /* the descriptor and its first write error (owned) */
} sim_outfile;

/* Opens a temporary file for final path `path`. Returns 0, or -1 with errno
 * set (the directory must exist; see sim_mkdirs). When path already exists
 * and is not a regular file or a directory (/dev/null, /dev/stdout, a FIFO,
 * a terminal), the output is written to it directly: renaming a file over
 * it would replace the device (as root, /dev/null itself), and a stream
 * has no "whole or absent" to keep. A directory is EISDIR. */
int sim_outfile_open(sim_outfile *o, const char *path);

/* The errno of the first write to o that failed (ENOSPC, EIO, ...), or 0
 * while every write succeeded. A zeroed o has none. */
int sim_outfile_error(const sim_outfile *o);

/* Flushes, closes and renames the temporary file into place. Returns 0, or
 * -1 with errno set to the first write error (or the flush's, close's or
 * rename's), in which case the temporary file is removed. Either way o is
 * released. */
int sim_outfile_commit(sim_outfile *o);

/* Closes and removes the temporary file, leaving any old file at the final
 * path as it was. Safe on a zeroed or already released o. */
void sim_outfile_abort(sim_outfile *o);

/* Writes the whole string s to path atomically. Returns 0 or -1 (errno). */
int sim_write_file_atomic(const char *path, const char *s);

/* Creates directory dir and its missing parents (mode 0777 & umask).
 * Returns 0 when it exists afterwards, -1 with errno set otherwise. */
int sim_mkdirs(const char *dir);

/* Removes path and, when it is a folder, everything in it (symbolic links
 * are removed, never followed). Returns 0, or -1 with errno set when
 * something could not be removed (the rest is removed anyway). */
int sim_remove_tree(const char *path);

/* ---- output sets ---- */

typedef struct sim_outset {
    char *target;  /* the folder the set is published as (owned) */
    char *staging; /* the temporary folder the set is written into (owned) */
} sim_outset;

/*
 * Starts a set for folder `target`: checks that target can be replaced as a
 * whole, creates its missing parents and the temporary folder beside it.
 * An existing target must be a folder (not a symbolic link) that is empty
 * or holds a previous set: an entry named `marker` (summary.json for a run,
 * runs.csv for a sweep; NULL: any folder). "", ".", ".." and "/" (as the
 * last part of target) are refused: they cannot be replaced.
 * Returns 0, or -1 with one line in err (no newline) and s zeroed. The
 * caller writes into s->staging and ends with sim_outset_publish or
 * sim_outset_abort.
 */
int sim_outset_begin(sim_outset *s, const char *target, const char *marker, char *err,
                     size_t errlen);

/* Publishes the set (see the top of this file) and releases s. Returns 0,
 * or -1 with one line in err; then the staging folder is removed and the
 * target is as it was. */
int sim_outset_publish(sim_outset *s, char *err, size_t errlen);

/* Removes the staging folder and everything in it, leaving the target as
 * it was, and releases s. Safe on a zeroed or released s. */
void sim_outset_abort(sim_outset *s);

/* Rewrites, in place, every occurrence of s's staging folder in the text
 * msg (n bytes) to the target's name, so that an error line names the
 * folder the user asked for. Cuts the text at n - 1 bytes. */
void sim_outset_rename_in(const sim_outset *s, char *msg, size_t n);

#endif
