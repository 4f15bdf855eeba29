/* Standalone check of evstream/_crc32.c, built for another architecture and run
 * under user-mode emulation by test_crc32_aarch64.py.  It prints the kernel the
 * dispatcher chose, then compares every kernel result with a bitwise CRC-32. */
#include "_crc32.h"

#include <stdio.h>

/* The dispatcher's portable path calls zlib's crc32; this harness links none,
 * so it supplies a bitwise reference under the same name. */
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len) {
    unsigned int c = ~(unsigned int)crc;
    while (len--) {
        c ^= *buf++;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

int main(void) {
    static unsigned char buf[9000];
    for (int i = 0; i < 9000; i++) buf[i] = (unsigned char)(i * 131 + 7);
    evs_crc32_init();
    printf("%s\n", evs_crc32_kernel());
    for (size_t n = 0; n < 8000; n += 3) {
        for (size_t off = 0; off < 3; off++) {
            unsigned int init = (unsigned int)(n * 2654435761u + off);
            unsigned int want = (unsigned int)crc32(init, buf + off, (unsigned int)n);
            if (evs_crc32(init, buf + off, n) != want) {
                printf("mismatch at length %zu offset %zu\n", n, off);
                return 1;
            }
        }
    }
    printf("ok\n");
    return 0;
}
