/* Resampling and PCM conversion kernels with run-time CPU dispatch.
 *
 * Every output is a dot product of `taps` floats (a multiple of 16), summed
 * in 16 lanes (lane l takes every 16th product, in order, with FMA where the
 * CPU has it) and reduced by a fixed tree, so the AVX2 and AVX-512 paths give
 * identical results and a result never depends on which outputs were
 * computed together.
 */
#ifndef AUDIO_KERNEL_H
#define AUDIO_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/* Output i (0 <= i < count) is round(dot(bank + r*taps, buf + q, taps)) saturated
 * to int16 and stored at out[i * ostride], where t = t0 + i*down, q = t / up,
 * r = t % up.  t0 >= 0.
 *
 * When up == 1 and `shifted` is not NULL, it holds 16 copies of the taps, copy
 * a (at shifted + a*(taps+16), 64-byte aligned) shifted right by a floats in
 * taps+16 zeros; inputs are then read from the 64-byte boundary at or below
 * buf + q and up to 16 floats past buf + q + taps - 1, all of which must be
 * readable finite floats.  The lanes then follow the input's address mod 64
 * bytes, so callers place each input sample at an address determined by its
 * index in the stream (see _resample_c.pyx) to keep results independent of
 * how the stream was chunked. */
void audio_resample_run(const float *buf, const float *bank, const float *shifted,
                        int64_t taps, int64_t up, int64_t down, int64_t t0, int64_t count,
                        int16_t *out, ptrdiff_t ostride);

/* PCM conversion: clip to [-1, 1] (NaN -> 0), x32767, round to nearest even,
 * store little-endian int16.  The input is strided (in elements). */
void audio_pcm16_f32(const float *x, ptrdiff_t stride, int64_t n, int16_t *out);
void audio_pcm16_f64(const double *x, ptrdiff_t stride, int64_t n, int16_t *out);

/* Samples (byte stride) -> float32 in int16 units: floats have NaN -> 0, are
 * clipped to [-1, 1] and scaled by 32767; int16 is converted as is. */
void audio_units_f32(const char *src, ptrdiff_t stride, int64_t n, float *dst);
void audio_units_f64(const char *src, ptrdiff_t stride, int64_t n, float *dst);
void audio_units_i16(const char *src, ptrdiff_t stride, int64_t n, float *dst);

/* Kernel selection: 0 scalar, 1 AVX2+FMA, 2 AVX-512.  audio_kernel_best() is
 * what the CPU supports; audio_kernel_select() returns the level in effect
 * (clamped to the best). */
int audio_kernel_best(void);
int audio_kernel_select(int level);
int audio_kernel_current(void);

#endif
