/*
 * textfile.c — bounded line reads, regular-file opens, human sizes and
 * excerpts for the readers of files a scenario names (see the header).
 *
 * sim_line_read is a getc_unlocked loop rather than getline: getline grows
 * its buffer to whatever the line is (a 1 GB line, or /dev/zero until
 * allocation fails, which it reports as -1 like end of file). Here the cap is
 * checked on every byte and the three ways of stopping stay distinct.
 */
#include "common/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Most bytes one fgets of sim_line_read asks for: the chunk it prefills. */
#define LINE_CHUNK 4096

/*
 * A chunk at a time with fgets, which scans the stream's buffer with memchr
 * (a getc loop was 40% of loading an Azure day). fgets stops after a '\n',
 * at the end of the file, or when the chunk is full, and copies NUL bytes
 * like any other, so its count is found from the chunk: up to a '\n' found
 * in it; the whole chunk when there is none and the file goes on; at the end
 * of the file, up to the NUL that fgets wrote, the last byte before the
 * prefilled '\n's that it did not touch (the data holds no '\n' then).
 */
ssize_t sim_line_read(FILE *fp, char **buf, size_t *cap, size_t max)
{
    size_t len = 0;
    int nul = 0;
    for (;;) {
        if (len == max) { /* full: only its end may come next */
            int ch = getc(fp);
            if (ch == EOF && ferror(fp))
                return SIM_LINE_ERROR;
            if (ch == EOF && len == 0) /* max 0 */
                return SIM_LINE_EOF;
            if (ch != EOF && ch != '\n')
                return SIM_LINE_TOO_LONG;
            break;
        }
        /* room for one byte of the line and the NUL, at least, never past
         * max + 1 bytes in all */
        if (*cap < len + 2) {
            size_t nc = *cap ? 2 * *cap : 256;
            if (nc > max + 1)
                nc = max + 1;
            if (nc < len + 2)
                nc = len + 2;
            char *nb = realloc(*buf, nc);
            if (!nb)
                return SIM_LINE_NOMEM;
            *buf = nb;
            *cap = nc;
        }
        size_t room = *cap - len; /* bytes fgets may write, its NUL included */
        if (room > max - len + 1)
            room = max - len + 1;
        if (room > LINE_CHUNK)
            room = LINE_CHUNK;
        char *p = *buf + len;
        memset(p, '\n', room);
        if (!fgets(p, (int)room, fp)) {
            if (ferror(fp))
                return SIM_LINE_ERROR;
            if (len == 0)
                return SIM_LINE_EOF;
            break; /* the file ended right after a full chunk */
        }
        char *nl = memchr(p, '\n', room - 1);
        size_t n;
        if (feof(fp)) { /* no '\n' in the data: it ends at fgets' NUL */
            n = room - 1;
            while (n > 0 && p[n] == '\n')
                n--;
            /* p[n] is the NUL fgets wrote */
        } else if (nl) {
            n = (size_t)(nl - p);
        } else {
            n = room - 1;
        }
        nul |= memchr(p, '\0', n) != NULL;
        len += n;
        if (nl || feof(fp)) /* its end, or the file's */
            break;
    }
    if (!*buf) { /* max 0: an empty line read without a chunk */
        if (!(*buf = malloc(1)))
            return SIM_LINE_NOMEM;
        *cap = 1;
    }
    (*buf)[len] = '\0';
    return nul ? SIM_LINE_BINARY : (ssize_t)len;
}

FILE *sim_open_regular(const char *path, char *why, size_t why_len, uint64_t *size)
{
    /* O_NONBLOCK: opening a FIFO with no writer must not hang before fstat
     * can refuse it; it is cleared again for a regular file (where it does
     * nothing anyway). */
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_len, "%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, why_len, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, why_len, "%s",
                 S_ISDIR(st.st_mode) ? "a directory"
                                     : "not a regular file (a device, a FIFO or a socket)");
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *fp = fdopen(fd, "r");
    if (!fp) {
        snprintf(why, why_len, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    /* a UTF-8 byte-order mark (spreadsheet programs save CSV with one) is
     * not content: skipped here, so that no reader finds it glued to its
     * first header name */
    unsigned char mark[3];
    if (fread(mark, 1, 3, fp) != 3 || mark[0] != 0xEF || mark[1] != 0xBB || mark[2] != 0xBF) {
        if (ferror(fp) || fseek(fp, 0, SEEK_SET) != 0) {
            snprintf(why, why_len, "%s", strerror(errno ? errno : EIO));
            fclose(fp);
            return NULL;
        }
    }
    if (size)
        *size = (uint64_t)st.st_size;
    return fp;
}

void sim_bytes_format(char *buf, size_t n, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
        snprintf(buf, n, "%llu byte%s", (unsigned long long)bytes, bytes == 1 ? "" : "s");
        return;
    }
    int u = 0;
    uint64_t div = 1024;
    while (u < 5 && bytes / div >= 1024) {
        div *= 1024;
        u++;
    }
    if (bytes % div == 0) {
        snprintf(buf, n, "%llu %s", (unsigned long long)(bytes / div), units[u]);
        return;
    }
    /* one decimal, truncated: "64.0 MiB" would read as exactly the limit */
    uint64_t tenths = bytes / div * 10 + bytes % div * 10 / div;
    snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(tenths / 10),
             (unsigned long long)(tenths % 10), units[u]);
}

const char *sim_excerpt(char *buf, size_t n, const char *s, size_t len)
{
    size_t o = 0;
    if (n < 8) {
        if (n)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '"';
    size_t shown = len > SIM_EXCERPT_MAX ? SIM_EXCERPT_MAX : len, i;
    for (i = 0; i < shown && o + 8 < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
        } else {
            buf[o++] = (char)ch;
        }
    }
    if (i < len && o + 4 < n) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}
