/* CRC-32 (IEEE 802.3, the zlib polynomial) with run-time CPU dispatch.
 *
 * evs_crc32(crc, buf, len) has zlib's semantics: evs_crc32(0, b, n) equals
 * zlib.crc32(b), and chaining works the same way.  The kernel is chosen once,
 * by evs_crc32_init(), from what the CPU offers:
 *   x86-64  VPCLMULQDQ + AVX-512 fold, else PCLMULQDQ fold, else zlib;
 *   aarch64 the ARMv8 CRC32 instructions, else zlib;
 *   others  zlib.
 */
#ifndef EVS_CRC32_H
#define EVS_CRC32_H

#include <stddef.h>
#include <stdint.h>

void evs_crc32_init(void);
uint32_t evs_crc32(uint32_t crc, const unsigned char *buf, size_t len);
/* Name of the kernel in use: "vpclmulqdq-avx512", "pclmulqdq", "armv8-crc32" or "zlib". */
const char *evs_crc32_kernel(void);
/* Force a kernel by name (tests and benchmarks); returns 0 when it is unavailable here. */
int evs_crc32_select(const char *name);

#endif
