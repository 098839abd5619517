#include "output/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sim_outfile_open(sim_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    const char *base = path + dirlen;
    size_t n = strlen(path) + 16;
    o->path = strdup(path);
    o->tmp_path = malloc(n);
    if (!o->path || !o->tmp_path)
        goto fail;
    snprintf(o->tmp_path, n, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
    int fd = mkstemp(o->tmp_path);
    if (fd < 0)
        goto fail;
    /* mkstemp creates 0600; outputs are ordinary files. */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(o->tmp_path);
        errno = e;
        goto fail;
    }
    return 0;
fail:;
    int e = errno;
    free(o->path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
    errno = e ? e : ENOMEM;
    return -1;
}

int sim_outfile_commit(sim_outfile *o)
{
    int rc = 0, e = 0;
    if (ferror(o->fp))
        rc = -1, e = EIO;
    if (fclose(o->fp) != 0 && rc == 0)
        rc = -1, e = errno;
    o->fp = NULL;
    if (rc == 0 && rename(o->tmp_path, o->path) != 0)
        rc = -1, e = errno;
    if (rc != 0)
        unlink(o->tmp_path);
    free(o->path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
    errno = e;
    return rc;
}

void sim_outfile_abort(sim_outfile *o)
{
    if (o->fp)
        fclose(o->fp);
    if (o->tmp_path)
        unlink(o->tmp_path);
    free(o->path);
    free(o->tmp_path);
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
