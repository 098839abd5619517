/*
 * loadfile.c — whole-file loads with a cap checked before reading
 * (loadfile.h). The file is opened O_NONBLOCK so that a FIFO without a writer
 * does not hang the open; the flag does nothing to a regular file's reads.
 */
#include "common/loadfile.h"
#include "common/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(m))
        return "a socket";
    return "something other than a file";
}

sim_load_error sim_load_file(const char *path, size_t cap, char **out, size_t *len, char *err,
                             size_t errlen)
{
    char have[32], limit[32];
    sim_load_error rc = SIM_LOAD_OK;
    char *buf = NULL;
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return SIM_LOAD_OPEN;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = SIM_LOAD_OPEN;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: expected a regular file, found %s", path,
                 file_kind(st.st_mode));
        rc = SIM_LOAD_NOT_FILE;
        goto done;
    }
    sim_bytes_format(limit, sizeof limit, (uint64_t)cap);
    if (st.st_size < 0 || (uint64_t)st.st_size > (uint64_t)cap) {
        sim_bytes_format(have, sizeof have, (uint64_t)st.st_size);
        snprintf(err, errlen, "%s: expected a file of at most %s, found %s", path, limit, have);
        rc = SIM_LOAD_TOO_BIG;
        goto done;
    }
    size_t size = (size_t)st.st_size;
    /* one byte beyond the size seen, to notice a file that grew meanwhile */
    if (!(buf = malloc(size + 2))) {
        sim_bytes_format(have, sizeof have, (uint64_t)size);
        snprintf(err, errlen, "%s: out of memory reading %s", path, have);
        rc = SIM_LOAD_NOMEM;
        goto done;
    }
    size_t got = 0;
    for (;;) {
        ssize_t n = read(fd, buf + got, size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            rc = SIM_LOAD_OPEN;
            goto done;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (got > size) {
            snprintf(err, errlen, "%s: expected a file that stays %zu bytes while it is read, "
                                  "found it growing", path, size);
            rc = SIM_LOAD_TOO_BIG;
            goto done;
        }
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    buf = NULL;
done:
    free(buf);
    close(fd);
    return rc;
}
