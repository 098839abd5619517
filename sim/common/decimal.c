#include "common/decimal.h"

#include <string.h>

/* "00" to "99", for two digits per division */
static const char digits2[201] = "00010203040506070809101112131415161718192021222324"
                                 "25262728293031323334353637383940414243444546474849"
                                 "50515253545556575859606162636465666768697071727374"
                                 "75767778798081828384858687888990919293949596979899";

int sim_decimal_len(uint64_t v)
{
    int n = 1;
    for (; v >= 10; v /= 10)
        n++;
    return n;
}

void sim_put_digits(char *p, uint64_t v, int n)
{
    while (n >= 2) {
        memcpy(p + n - 2, digits2 + 2 * (v % 100), 2);
        v /= 100;
        n -= 2;
    }
    if (n)
        p[0] = (char)('0' + v % 10);
}

void sim_put_digits9(char *p, uint32_t v)
{
    uint32_t hi = v / 10000, lo = v % 10000; /* hi < 100000 */
    uint32_t h3 = hi / 100;                  /* < 1000 */
    p[0] = (char)('0' + h3 / 100);
    memcpy(p + 1, digits2 + 2 * (h3 % 100), 2);
    memcpy(p + 3, digits2 + 2 * (hi % 100), 2);
    memcpy(p + 5, digits2 + 2 * (lo / 100), 2);
    memcpy(p + 7, digits2 + 2 * (lo % 100), 2);
}

char *sim_put_u64(char *p, uint64_t v)
{
    if (v < 10) {
        *p = (char)('0' + v);
        return p + 1;
    }
    if (v < 100) {
        memcpy(p, digits2 + 2 * v, 2);
        return p + 2;
    }
    int n = sim_decimal_len(v);
    sim_put_digits(p, v, n);
    return p + n;
}
