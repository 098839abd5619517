/*
 * outfile.c — whole-or-absent outputs (the contract is in outfile.h).
 *
 * A stream is a stdio FILE over a cookie (fopencookie) whose write function
 * calls write(2) itself, so the errno of a failed write is kept where stdio
 * would only set its error flag and leave errno to whatever ran next.
 */
#define _GNU_SOURCE /* fopencookie, renameat2 */
#include "output/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define SIM_OUTFILE_BUFFER (64 * 1024) /* bytes stdio gathers before a write(2) */

struct sim__outsink {
    int fd;
    int err; /* errno of the first failed write or close; 0: none */
};

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
    sim__outsink *k = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(k->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!k->err)
                k->err = w < 0 ? errno : EIO;
            break;
        }
        done += (size_t)w;
    }
    return (ssize_t)done; /* short: stdio sets the stream's error flag */
}

static int sink_close(void *cookie)
{
    sim__outsink *k = cookie;
    if (close(k->fd) != 0 && !k->err)
        k->err = errno;
    k->fd = -1;
    return k->err ? -1 : 0;
}

int sim_outfile_open(sim_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    const char *base = path + dirlen;
    size_t n = strlen(path) + 16;
    int fd = -1;
    struct stat st;
    int direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
    if (direct && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return -1;
    }
    o->path = strdup(path);
    o->tmp_path = direct ? NULL : malloc(n);
    o->sink = calloc(1, sizeof *o->sink);
    if (!o->path || (!direct && !o->tmp_path) || !o->sink) {
        errno = ENOMEM;
        goto fail;
    }
    if (direct) { /* a device, a FIFO: written as it is, never replaced */
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            goto fail;
    } else {
        snprintf(o->tmp_path, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
        fd = mkstemp(o->tmp_path);
        if (fd < 0)
            goto fail;
        /* mkstemp creates 0600; outputs are ordinary files. */
        mode_t um = umask(0);
        umask(um);
        (void)fchmod(fd, 0666 & ~um);
    }
    o->sink->fd = fd;
    cookie_io_functions_t io = {.read = NULL, .write = sink_write, .seek = NULL,
                                .close = sink_close};
    o->fp = fopencookie(o->sink, "w", io);
    if (!o->fp) {
        int e = errno;
        close(fd);
        if (o->tmp_path)
            unlink(o->tmp_path);
        errno = e ? e : ENOMEM;
        goto fail;
    }
    setvbuf(o->fp, NULL, _IOFBF, SIM_OUTFILE_BUFFER);
    return 0;
fail:;
    int e = errno;
    free(o->path);
    free(o->tmp_path);
    free(o->sink);
    memset(o, 0, sizeof *o);
    errno = e ? e : ENOMEM;
    return -1;
}

int sim_outfile_error(const sim_outfile *o)
{
    return o->sink ? o->sink->err : 0;
}

int sim_outfile_commit(sim_outfile *o)
{
    int e = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        e = o->sink->err ? o->sink->err : (errno ? errno : EIO);
    if (fclose(o->fp) != 0 && !e)
        e = o->sink->err ? o->sink->err : (errno ? errno : EIO);
    o->fp = NULL;
    if (!e && o->tmp_path && rename(o->tmp_path, o->path) != 0)
        e = errno;
    if (e && o->tmp_path)
        unlink(o->tmp_path);
    free(o->path);
    free(o->tmp_path);
    free(o->sink);
    memset(o, 0, sizeof *o);
    errno = e;
    return e ? -1 : 0;
}

void sim_outfile_abort(sim_outfile *o)
{
    if (o->fp)
        fclose(o->fp);
    if (o->tmp_path)
        unlink(o->tmp_path);
    free(o->path);
    free(o->tmp_path);
    free(o->sink);
    memset(o, 0, sizeof *o);
}

int sim_write_file_atomic(const char *path, const char *s)
{
    sim_outfile o;
    if (sim_outfile_open(&o, path) != 0)
        return -1;
    fputs(s, o.fp);
    return sim_outfile_commit(&o);
}

int sim_mkdirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    int rc = 0;
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = -1;
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    struct stat st;
    if (rc == 0 && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
        rc = -1;
        if (errno == 0)
            errno = ENOTDIR;
    }
    free(p);
    return rc;
}

/* Removes name (relative to the folder at) and what it holds. */
static int remove_at(int at, const char *name)
{
    if (unlinkat(at, name, 0) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -1;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    int rc = 0, e = 0;
    for (struct dirent *en; (en = readdir(d));) {
        if (!strcmp(en->d_name, ".") || !strcmp(en->d_name, ".."))
            continue;
        if (remove_at(dirfd(d), en->d_name) != 0 && !e) {
            e = errno;
            rc = -1;
        }
    }
    closedir(d);
    if (unlinkat(at, name, AT_REMOVEDIR) != 0 && !e) {
        e = errno;
        rc = -1;
    }
    errno = e;
    return rc;
}

int sim_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path);
}

/* ---- output sets ---- */

/* 1 when folder path is empty or has an entry named marker. */
static int replaceable(const char *path, const char *marker)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int empty = 1, has = 0;
    for (struct dirent *en; (en = readdir(d));) {
        if (!strcmp(en->d_name, ".") || !strcmp(en->d_name, ".."))
            continue;
        empty = 0;
        if (marker && !strcmp(en->d_name, marker))
            has = 1;
    }
    closedir(d);
    return empty || has || !marker;
}

int sim_outset_begin(sim_outset *s, const char *target, const char *marker, char *err,
                     size_t errlen)
{
    memset(s, 0, sizeof *s);
    size_t n = strlen(target);
    while (n > 1 && target[n - 1] == '/')
        n--;
    char *t = strndup(target, n), *parent = NULL, *staging = NULL;
    if (!t) {
        snprintf(err, errlen, "%s: out of memory", target);
        return -1;
    }
    char *slash = strrchr(t, '/');
    const char *base = slash ? slash + 1 : t;
    if (!base[0] || !strcmp(base, ".") || !strcmp(base, "..")) {
        snprintf(err, errlen, "%s: expected a folder that can be replaced as a whole, found \"%s\" "
                              "(name a folder of its own, such as results/NAME)", target,
                 base[0] ? base : "/");
        goto fail;
    }
    struct stat st;
    if (lstat(t, &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            snprintf(err, errlen, "%s: expected a folder, found a symbolic link (name the folder "
                                  "itself: outputs replace the folder as a whole)", t);
            goto fail;
        }
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: expected a folder, found a file", t);
            goto fail;
        }
        if (!replaceable(t, marker)) {
            snprintf(err, errlen, "%s: expected an empty folder or earlier outputs (with %s), found "
                                  "other files (outputs replace the folder as a whole: choose "
                                  "another folder)", t, marker);
            goto fail;
        }
    } else if (errno != ENOENT) {
        snprintf(err, errlen, "%s: %s", t, strerror(errno));
        goto fail;
    }
    size_t plen = slash ? (size_t)(slash - t) : 1;
    parent = slash ? strndup(t, plen ? plen : 1) : strdup(".");
    size_t sn = strlen(parent) + strlen(base) + 32;
    staging = malloc(sn);
    if (!parent || !staging) {
        snprintf(err, errlen, "%s: out of memory", t);
        goto fail;
    }
    if (sim_mkdirs(parent) != 0) {
        snprintf(err, errlen, "%s: cannot create the folder: %s", parent, strerror(errno));
        goto fail;
    }
    snprintf(staging, sn, "%s/.%s.tmp-XXXXXX", parent, base);
    if (!mkdtemp(staging)) {
        snprintf(err, errlen, "%s: cannot create a temporary folder: %s", parent, strerror(errno));
        goto fail;
    }
    mode_t um = umask(0);
    umask(um);
    (void)chmod(staging, 0777 & ~um);
    free(parent);
    s->target = t;
    s->staging = staging;
    return 0;
fail:
    free(t);
    free(parent);
    free(staging);
    return -1;
}

void sim_outset_abort(sim_outset *s)
{
    if (s->staging)
        sim_remove_tree(s->staging);
    free(s->target);
    free(s->staging);
    memset(s, 0, sizeof *s);
}

int sim_outset_publish(sim_outset *s, char *err, size_t errlen)
{
    int rc = -1;
    char *old = NULL;
    if (rename(s->staging, s->target) == 0) /* no target, or an empty one */
        goto done;
    if (errno != ENOTEMPTY && errno != EEXIST)
        goto fail;
    if (renameat2(AT_FDCWD, s->staging, AT_FDCWD, s->target, RENAME_EXCHANGE) == 0) {
        sim_remove_tree(s->staging); /* the old set, now at the staging name */
        goto done;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        goto fail;
    /* No exchange on this file system: the old set aside, the new one in. */
    size_t n = strlen(s->staging) + 8;
    old = malloc(n);
    if (!old) {
        errno = ENOMEM;
        goto fail;
    }
    snprintf(old, n, "%s", s->staging);
    char *tag = strlen(old) >= 11 ? old + strlen(old) - 11 : NULL;
    if (!tag || strncmp(tag, ".tmp-", 5) != 0) {
        errno = EINVAL;
        goto fail;
    }
    memcpy(tag, ".old-XXXXXX", 11);
    if (!mkdtemp(old) || rename(s->target, old) != 0)
        goto fail_old;
    if (rename(s->staging, s->target) != 0) {
        int e = errno;
        rename(old, s->target);
        errno = e;
        goto fail_old;
    }
    sim_remove_tree(old);
done:
    rc = 0;
    free(old);
    free(s->target);
    free(s->staging);
    memset(s, 0, sizeof *s);
    return rc;
fail_old:;
    int e = errno;
    rmdir(old);
    errno = e;
fail:
    snprintf(err, errlen, "%s: cannot publish the outputs: %s", s->target, strerror(errno));
    free(old);
    sim_outset_abort(s);
    return rc;
}

void sim_outset_rename_in(const sim_outset *s, char *msg, size_t n)
{
    if (!s->staging || !s->target || n == 0)
        return;
    size_t sl = strlen(s->staging), tl = strlen(s->target);
    char *out = malloc(n);
    if (!out)
        return;
    size_t k = 0;
    for (const char *p = msg; *p && k + 1 < n;) {
        if (!strncmp(p, s->staging, sl)) {
            size_t c = tl < n - 1 - k ? tl : n - 1 - k;
            memcpy(out + k, s->target, c);
            k += c;
            p += sl;
        } else {
            out[k++] = *p++;
        }
    }
    out[k] = '\0';
    memcpy(msg, out, k + 1);
    free(out);
}
