/* See _kernel.h.  Never compiled with -march=native: the SIMD paths are
 * selected at run time with __builtin_cpu_supports. */
#include "_kernel.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define AUDIO_X86 1
#include <immintrin.h>
#endif

static inline int16_t to_i16(float v) {
    if (v <= -32768.0f) return -32768;
    if (v >= 32767.0f) return 32767;
#ifdef AUDIO_X86
    return (int16_t)_mm_cvtss_si32(_mm_set_ss(v)); /* lrintf without the call */
#else
    return (int16_t)lrintf(v);
#endif
}

#define BLOCK 8 /* outputs computed together */

static int host_is_little(void) {
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

static uint16_t le16(int16_t v) {
    uint16_t u = (uint16_t)v;
    return host_is_little() ? u : (uint16_t)((u >> 8) | (u << 8));
}

/* ---- the portable path ------------------------------------------------ */

static float reduce16(float *p) {
    for (int l = 0; l < 8; l++) p[l] += p[l + 8];
    for (int l = 0; l < 4; l++) p[l] += p[l + 4];
    for (int l = 0; l < 2; l++) p[l] += p[l + 2];
    return p[0] + p[1];
}

/* nb outputs: taps g[b], inputs x[b] */
static void dot_scalar(const float *const *g, const float *const *x, int nb, int64_t taps,
                       float *res) {
    for (int b = 0; b < nb; b++) {
        float p[16] = {0};
        const float *gb = g[b], *xb = x[b];
        for (int64_t k = 0; k < taps; k += 16)
            for (int l = 0; l < 16; l++) p[l] += gb[k + l] * xb[k + l];
        res[b] = reduce16(p);
    }
}

static void dot_shared_scalar(const float *g, const float *x, ptrdiff_t step, int64_t taps,
                              float *res) {
    const float *gs[BLOCK], *xs[BLOCK];
    for (int b = 0; b < BLOCK; b++) {
        gs[b] = g;
        xs[b] = x + b * step;
    }
    dot_scalar(gs, xs, BLOCK, taps, res);
}

static void dot_multi_scalar(const float *const *g, const float *const *x, int64_t taps,
                             float *res) {
    dot_scalar(g, x, BLOCK, taps, res);
}

/* ---- x86 SIMD paths ------------------------------------------------------ */

#ifdef AUDIO_X86
#define T_AVX2 __attribute__((target("avx2,fma")))
#define T_AVX512 __attribute__((target("avx512f,avx2,fma")))

T_AVX2 static inline float reduce8x2(__m256 lo, __m256 hi) {
    __m256 s8 = _mm256_add_ps(lo, hi);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    __m128 s1 = _mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1));
    return _mm_cvtss_f32(s1);
}

/* four outputs at a time, 16 lanes each as two 8-lane halves */
T_AVX2 static inline void dot4_avx2(const float *const *g, const float *const *x,
                                    int64_t taps, float *res) {
    __m256 a0l = _mm256_setzero_ps(), a0h = a0l, a1l = a0l, a1h = a0l;
    __m256 a2l = a0l, a2h = a0l, a3l = a0l, a3h = a0l;
    for (int64_t k = 0; k < taps; k += 16) {
        a0l = _mm256_fmadd_ps(_mm256_loadu_ps(g[0] + k), _mm256_loadu_ps(x[0] + k), a0l);
        a0h = _mm256_fmadd_ps(_mm256_loadu_ps(g[0] + k + 8), _mm256_loadu_ps(x[0] + k + 8), a0h);
        a1l = _mm256_fmadd_ps(_mm256_loadu_ps(g[1] + k), _mm256_loadu_ps(x[1] + k), a1l);
        a1h = _mm256_fmadd_ps(_mm256_loadu_ps(g[1] + k + 8), _mm256_loadu_ps(x[1] + k + 8), a1h);
        a2l = _mm256_fmadd_ps(_mm256_loadu_ps(g[2] + k), _mm256_loadu_ps(x[2] + k), a2l);
        a2h = _mm256_fmadd_ps(_mm256_loadu_ps(g[2] + k + 8), _mm256_loadu_ps(x[2] + k + 8), a2h);
        a3l = _mm256_fmadd_ps(_mm256_loadu_ps(g[3] + k), _mm256_loadu_ps(x[3] + k), a3l);
        a3h = _mm256_fmadd_ps(_mm256_loadu_ps(g[3] + k + 8), _mm256_loadu_ps(x[3] + k + 8), a3h);
    }
    res[0] = reduce8x2(a0l, a0h);
    res[1] = reduce8x2(a1l, a1h);
    res[2] = reduce8x2(a2l, a2h);
    res[3] = reduce8x2(a3l, a3h);
}

T_AVX2 static void dot_shared_avx2(const float *g, const float *x, ptrdiff_t step, int64_t taps,
                                   float *res) {
    /* one tap load feeds four outputs */
    for (int half = 0; half < 2; half++) {
        const float *x0 = x + (4 * half) * step, *x1 = x0 + step, *x2 = x1 + step,
                    *x3 = x2 + step;
        __m256 a0l = _mm256_setzero_ps(), a0h = a0l, a1l = a0l, a1h = a0l;
        __m256 a2l = a0l, a2h = a0l, a3l = a0l, a3h = a0l;
        for (int64_t k = 0; k < taps; k += 16) {
            __m256 tl = _mm256_loadu_ps(g + k), th = _mm256_loadu_ps(g + k + 8);
            a0l = _mm256_fmadd_ps(tl, _mm256_loadu_ps(x0 + k), a0l);
            a0h = _mm256_fmadd_ps(th, _mm256_loadu_ps(x0 + k + 8), a0h);
            a1l = _mm256_fmadd_ps(tl, _mm256_loadu_ps(x1 + k), a1l);
            a1h = _mm256_fmadd_ps(th, _mm256_loadu_ps(x1 + k + 8), a1h);
            a2l = _mm256_fmadd_ps(tl, _mm256_loadu_ps(x2 + k), a2l);
            a2h = _mm256_fmadd_ps(th, _mm256_loadu_ps(x2 + k + 8), a2h);
            a3l = _mm256_fmadd_ps(tl, _mm256_loadu_ps(x3 + k), a3l);
            a3h = _mm256_fmadd_ps(th, _mm256_loadu_ps(x3 + k + 8), a3h);
        }
        float *r = res + 4 * half;
        r[0] = reduce8x2(a0l, a0h);
        r[1] = reduce8x2(a1l, a1h);
        r[2] = reduce8x2(a2l, a2h);
        r[3] = reduce8x2(a3l, a3h);
    }
}

T_AVX2 static void dot_multi_avx2(const float *const *g, const float *const *x, int64_t taps,
                                  float *res) {
    dot4_avx2(g, x, taps, res);
    dot4_avx2(g + 4, x + 4, taps, res + 4);
}

/* Reduce eight 16-lane accumulators to eight sums by the fixed tree of
 * reduce16 (lanes l + l+8, then l + l+4, l + l+2, 0 + 1), sharing the shuffles */
T_AVX512 static inline void reduce8_512(__m512 a0, __m512 a1, __m512 a2, __m512 a3, __m512 a4,
                                        __m512 a5, __m512 a6, __m512 a7, float *res) {
    /* lanes l + l+8: quarters [s8(a), s8(b)] */
    __m512 w01 = _mm512_add_ps(_mm512_shuffle_f32x4(a0, a1, 0x44), _mm512_shuffle_f32x4(a0, a1, 0xEE));
    __m512 w23 = _mm512_add_ps(_mm512_shuffle_f32x4(a2, a3, 0x44), _mm512_shuffle_f32x4(a2, a3, 0xEE));
    __m512 w45 = _mm512_add_ps(_mm512_shuffle_f32x4(a4, a5, 0x44), _mm512_shuffle_f32x4(a4, a5, 0xEE));
    __m512 w67 = _mm512_add_ps(_mm512_shuffle_f32x4(a6, a7, 0x44), _mm512_shuffle_f32x4(a6, a7, 0xEE));
    /* l + l+4: quarter q holds s4 of output q (and q+4 in the second) */
    __m512 x03 = _mm512_add_ps(_mm512_shuffle_f32x4(w01, w23, 0x88), _mm512_shuffle_f32x4(w01, w23, 0xDD));
    __m512 x47 = _mm512_add_ps(_mm512_shuffle_f32x4(w45, w67, 0x88), _mm512_shuffle_f32x4(w45, w67, 0xDD));
    /* l + l+2: quarter q = [s2 of output q, s2 of output q+4] */
    __m512 y = _mm512_add_ps(_mm512_shuffle_ps(x03, x47, 0x44), _mm512_shuffle_ps(x03, x47, 0xEE));
    /* 0 + 1 */
    __m512 z = _mm512_add_ps(y, _mm512_permute_ps(y, 0xB1));
    float t[16];
    _mm512_storeu_ps(t, z);
    res[0] = t[0];
    res[4] = t[2];
    res[1] = t[4];
    res[5] = t[6];
    res[2] = t[8];
    res[6] = t[10];
    res[3] = t[12];
    res[7] = t[14];
}

T_AVX512 static void dot_shared_avx512(const float *g, const float *x, ptrdiff_t step,
                                       int64_t taps, float *res) {
    const float *x0 = x, *x1 = x0 + step, *x2 = x1 + step, *x3 = x2 + step;
    const float *x4 = x3 + step, *x5 = x4 + step, *x6 = x5 + step, *x7 = x6 + step;
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
           a7 = a0;
    for (int64_t k = 0; k < taps; k += 16) {
        __m512 t = _mm512_loadu_ps(g + k);
        a0 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x0 + k), a0);
        a1 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x1 + k), a1);
        a2 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x2 + k), a2);
        a3 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x3 + k), a3);
        a4 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x4 + k), a4);
        a5 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x5 + k), a5);
        a6 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x6 + k), a6);
        a7 = _mm512_fmadd_ps(t, _mm512_loadu_ps(x7 + k), a7);
    }
    reduce8_512(a0, a1, a2, a3, a4, a5, a6, a7, res);
}

T_AVX512 static void dot_multi_avx512(const float *const *g, const float *const *x,
                                      int64_t taps, float *res) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
           a7 = a0;
    for (int64_t k = 0; k < taps; k += 16) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(g[0] + k), _mm512_loadu_ps(x[0] + k), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(g[1] + k), _mm512_loadu_ps(x[1] + k), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(g[2] + k), _mm512_loadu_ps(x[2] + k), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(g[3] + k), _mm512_loadu_ps(x[3] + k), a3);
        a4 = _mm512_fmadd_ps(_mm512_loadu_ps(g[4] + k), _mm512_loadu_ps(x[4] + k), a4);
        a5 = _mm512_fmadd_ps(_mm512_loadu_ps(g[5] + k), _mm512_loadu_ps(x[5] + k), a5);
        a6 = _mm512_fmadd_ps(_mm512_loadu_ps(g[6] + k), _mm512_loadu_ps(x[6] + k), a6);
        a7 = _mm512_fmadd_ps(_mm512_loadu_ps(g[7] + k), _mm512_loadu_ps(x[7] + k), a7);
    }
    reduce8_512(a0, a1, a2, a3, a4, a5, a6, a7, res);
}
/* eight outputs in four pairs, each pair sharing its taps (g[0], g[2], g[4], g[6]) */
T_AVX512 static void dot_pairs_avx512(const float *const *g, const float *const *x,
                                      int64_t taps, float *res) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0,
           a7 = a0;
    for (int64_t k = 0; k < taps; k += 16) {
        __m512 t0 = _mm512_loadu_ps(g[0] + k), t1 = _mm512_loadu_ps(g[2] + k);
        __m512 t2 = _mm512_loadu_ps(g[4] + k), t3 = _mm512_loadu_ps(g[6] + k);
        a0 = _mm512_fmadd_ps(t0, _mm512_loadu_ps(x[0] + k), a0);
        a1 = _mm512_fmadd_ps(t0, _mm512_loadu_ps(x[1] + k), a1);
        a2 = _mm512_fmadd_ps(t1, _mm512_loadu_ps(x[2] + k), a2);
        a3 = _mm512_fmadd_ps(t1, _mm512_loadu_ps(x[3] + k), a3);
        a4 = _mm512_fmadd_ps(t2, _mm512_loadu_ps(x[4] + k), a4);
        a5 = _mm512_fmadd_ps(t2, _mm512_loadu_ps(x[5] + k), a5);
        a6 = _mm512_fmadd_ps(t3, _mm512_loadu_ps(x[6] + k), a6);
        a7 = _mm512_fmadd_ps(t3, _mm512_loadu_ps(x[7] + k), a7);
    }
    reduce8_512(a0, a1, a2, a3, a4, a5, a6, a7, res);
}

T_AVX512 static void dot_any_avx512(const float *const *g, const float *const *x, int64_t taps,
                                    float *res) {
    if (g[0] == g[1] && g[2] == g[3] && g[4] == g[5] && g[6] == g[7])
        dot_pairs_avx512(g, x, taps, res);
    else
        dot_multi_avx512(g, x, taps, res);
}
#endif /* AUDIO_X86 */

/* ---- the driver ------------------------------------------------------------
 * Outputs fall into classes that share their taps (and, for up == 1, the
 * alignment of their inputs): outputs i and i + period are in the same class
 * and their inputs are `advance` floats apart.  Outputs are taken in tiles of
 * period * BLOCK, so that a tile's inputs stay in L1 while every class of the
 * tile goes eight at a time through dot_shared.  What is left over (a partial
 * last tile) is gathered into blocks of eight arbitrary (taps, input) pairs
 * for dot_multi (on AVX-512, dot_pairs when they are four pairs sharing taps, as
 * in a streamed chunk); the last partial block repeats its final pair and
 * ignores the extra results.
 *
 * up > 1: class = phase r, period = up, advance = down, inputs unaligned.
 * up == 1: one phase; inputs are loaded from the 64-byte boundary at or below
 * them, with taps from the copy shifted by that misalignment (a = address / 4
 * mod 16), so every load is aligned; period = 16 / gcd(down, 16). */

typedef void (*shared_fn)(const float *, const float *, ptrdiff_t, int64_t, float *);
typedef void (*multi_fn)(const float *const *, const float *const *, int64_t, float *);

typedef struct {
    const float *g[BLOCK];
    const float *x[BLOCK];
    int16_t *o[BLOCK];
    int n;
} pending_t;

static void pending_flush(pending_t *p, multi_fn multi, int64_t len) {
    float res[BLOCK];
    if (p->n == 0) return;
    for (int b = p->n; b < BLOCK; b++) {
        p->g[b] = p->g[p->n - 1];
        p->x[b] = p->x[p->n - 1];
    }
    multi(p->g, p->x, len, res);
    for (int b = 0; b < p->n; b++) *p->o[b] = to_i16(res[b]);
    p->n = 0;
}

/* taps and (possibly realigned) input pointer of output i */
static inline void locate(const float *buf, const float *bank, const float *shifted,
                          int64_t taps, int64_t up, int64_t down, int64_t t0, int64_t i,
                          const float **g, const float **x) {
    int64_t t = t0 + i * down;
    if (shifted) {
        const float *p = buf + t;
        int64_t a = (int64_t)(((uintptr_t)p / sizeof(float)) & 15);
        *g = shifted + a * (taps + 16);
        *x = p - a;
    } else {
        *g = bank + (t % up) * taps;
        *x = buf + t / up;
    }
}

/* x with (a * x) mod m == 1, for coprime a and m > 1 */
static int64_t inverse_mod(int64_t a, int64_t m) {
    int64_t r0 = m, r1 = a, s0 = 0, s1 = 1;
    while (r1 != 0) {
        int64_t q = r0 / r1, t;
        t = r0 - q * r1;
        r0 = r1;
        r1 = t;
        t = s0 - q * s1;
        s0 = s1;
        s1 = t;
    }
    return ((s0 % m) + m) % m;
}

static void run(const float *buf, const float *bank, const float *shifted, int64_t taps,
                int64_t up, int64_t down, int64_t t0, int64_t count, int16_t *out,
                ptrdiff_t ostride, shared_fn shared, multi_fn multi) {
    pending_t p;
    p.n = 0;
    int64_t period, advance, len;
    if (shifted) {
        int64_t g = 16;
        while (down % g) g >>= 1; /* gcd(down, 16) */
        period = 16 / g;
        advance = period * down;
        len = taps + 16;
    } else {
        period = up;
        advance = down;
        len = taps;
    }
    /* For up > 1, the classes are visited in phase order, so that the bank is read
     * front to back: class c has phase (rho0 + c*down) mod up, so consecutive
     * phases are classes step = down^-1 mod up apart, and the input index q of
     * the next class follows without a division (dq_on or dq_wrap, both exact). */
    const int poly = !shifted && up > 1;
    int64_t step = 1, dq_on = 0, dq_wrap = 0;
    if (poly) {
        step = inverse_mod(down % up, up);
        dq_on = (step * down - 1) / up;
        dq_wrap = ((step - up) * down - 1) / up;
    }
    const int64_t tile = period * BLOCK;
    for (int64_t base = 0; base < count; base += tile) {
        int64_t n = count - base < tile ? count - base : tile;
        int64_t classes = n < period ? n : period;
        int64_t nq = n / period, nr = n % period;
        int64_t c = 0, q = 0;
        if (poly) { /* the class of phase 0 */
            int64_t rho0 = (t0 + base * down) % up;
            c = (up - rho0) % up * step % up; /* < up^2, fits */
            q = (t0 + (base + c) * down) / up;
        }
        for (int64_t k = 0; k < period; k++) {
            if (poly && k > 0) {
                if (c + step >= period) {
                    c += step - period;
                    q += dq_wrap;
                } else {
                    c += step;
                    q += dq_on;
                }
            } else if (!poly && k > 0) {
                c++;
            }
            if (c >= classes) continue;
            const float *g, *x;
            if (poly) {
                g = bank + k * taps;
                x = buf + q;
            } else {
                locate(buf, bank, shifted, taps, up, down, t0, base + c, &g, &x);
            }
            int64_t m = nq + (c < nr); /* outputs c, c+period, ... below n */
            if (m == BLOCK) {
                float res[BLOCK];
                shared(g, x, (ptrdiff_t)advance, len, res);
                for (int b = 0; b < BLOCK; b++)
                    out[(base + c + b * period) * ostride] = to_i16(res[b]);
                continue;
            }
            for (int64_t j = 0; j < m; j++) {
                p.g[p.n] = g;
                p.x[p.n] = x + j * advance;
                p.o[p.n] = out + (base + c + j * period) * ostride;
                if (++p.n == BLOCK) pending_flush(&p, multi, len);
            }
        }
    }
    pending_flush(&p, multi, len);
}

/* ---- PCM conversion ----------------------------------------------------- */

static void pcm16_f32_scalar(const float *x, ptrdiff_t stride, int64_t n, int16_t *out) {
    for (int64_t i = 0; i < n; i++) {
        float v = x[i * stride];
        if (v != v) v = 0.0f;
        v = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
        out[i] = (int16_t)le16((int16_t)lrintf(v * 32767.0f));
    }
}

void audio_pcm16_f64(const double *x, ptrdiff_t stride, int64_t n, int16_t *out) {
    for (int64_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (v != v) v = 0.0;
        v = v < -1.0 ? -1.0 : (v > 1.0 ? 1.0 : v);
        out[i] = (int16_t)le16((int16_t)lrint(v * 32767.0));
    }
}

#ifdef AUDIO_X86
T_AVX2 static void pcm16_f32_avx2(const float *x, ptrdiff_t stride, int64_t n, int16_t *out) {
    if (stride != 1) {
        pcm16_f32_scalar(x, stride, n, out);
        return;
    }
    const __m256 lo = _mm256_set1_ps(-1.0f), hi = _mm256_set1_ps(1.0f),
                 sc = _mm256_set1_ps(32767.0f);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + 8);
        a = _mm256_and_ps(a, _mm256_cmp_ps(a, a, _CMP_ORD_Q)); /* NaN -> 0 */
        b = _mm256_and_ps(b, _mm256_cmp_ps(b, b, _CMP_ORD_Q));
        a = _mm256_mul_ps(_mm256_min_ps(_mm256_max_ps(a, lo), hi), sc);
        b = _mm256_mul_ps(_mm256_min_ps(_mm256_max_ps(b, lo), hi), sc);
        __m256i ia = _mm256_cvtps_epi32(a), ib = _mm256_cvtps_epi32(b);
        __m256i pk = _mm256_permute4x64_epi64(_mm256_packs_epi32(ia, ib), 0xD8);
        _mm256_storeu_si256((__m256i *)(out + i), pk);
    }
    pcm16_f32_scalar(x + i, 1, n - i, out + i);
}

T_AVX512 static void pcm16_f32_avx512(const float *x, ptrdiff_t stride, int64_t n,
                                      int16_t *out) {
    if (stride != 1) {
        pcm16_f32_scalar(x, stride, n, out);
        return;
    }
    const __m512 lo = _mm512_set1_ps(-1.0f), hi = _mm512_set1_ps(1.0f),
                 sc = _mm512_set1_ps(32767.0f);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 a = _mm512_loadu_ps(x + i);
        __mmask16 ok = _mm512_cmp_ps_mask(a, a, _CMP_ORD_Q);
        a = _mm512_maskz_mov_ps(ok, a);
        a = _mm512_mul_ps(_mm512_min_ps(_mm512_max_ps(a, lo), hi), sc);
        _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtsepi32_epi16(_mm512_cvtps_epi32(a)));
    }
    pcm16_f32_scalar(x + i, 1, n - i, out + i);
}
#endif

/* ---- samples -> float32 in int16 units -------------------------------------
 * Floats: NaN -> 0, clip to [-1, 1], x32767 (in the input's precision, then
 * rounded to float32).  Written with selects so that the contiguous loops
 * vectorize. */

void audio_units_f32(const char *src, ptrdiff_t stride, int64_t n, float *dst) {
    int64_t i = 0;
#ifdef AUDIO_X86 /* SSE2 is part of x86-64 */
    if (stride == (ptrdiff_t)sizeof(float)) {
        const float *x = (const float *)src;
        const __m128 lo = _mm_set1_ps(-1.0f), hi = _mm_set1_ps(1.0f), sc = _mm_set1_ps(32767.0f);
        for (; i + 4 <= n; i += 4) {
            __m128 v = _mm_loadu_ps(x + i);
            v = _mm_and_ps(v, _mm_cmpord_ps(v, v));
            _mm_storeu_ps(dst + i, _mm_mul_ps(_mm_min_ps(_mm_max_ps(v, lo), hi), sc));
        }
    }
#endif
    for (; i < n; i++) {
        float v;
        memcpy(&v, src + i * stride, sizeof v);
        v = v == v ? v : 0.0f;
        v = v < -1.0f ? -1.0f : v;
        v = v > 1.0f ? 1.0f : v;
        dst[i] = v * 32767.0f;
    }
}

void audio_units_f64(const char *src, ptrdiff_t stride, int64_t n, float *dst) {
    int64_t i = 0;
#ifdef AUDIO_X86
    if (stride == (ptrdiff_t)sizeof(double)) {
        const double *x = (const double *)src;
        const __m128d lo = _mm_set1_pd(-1.0), hi = _mm_set1_pd(1.0), sc = _mm_set1_pd(32767.0);
        for (; i + 2 <= n; i += 2) {
            __m128d v = _mm_loadu_pd(x + i);
            v = _mm_and_pd(v, _mm_cmpord_pd(v, v));
            v = _mm_mul_pd(_mm_min_pd(_mm_max_pd(v, lo), hi), sc);
            _mm_storel_pi((__m64 *)(dst + i), _mm_cvtpd_ps(v));
        }
    }
#endif
    for (; i < n; i++) {
        double v;
        memcpy(&v, src + i * stride, sizeof v);
        v = v == v ? v : 0.0;
        v = v < -1.0 ? -1.0 : v;
        v = v > 1.0 ? 1.0 : v;
        dst[i] = (float)(v * 32767.0);
    }
}

void audio_units_i16(const char *src, ptrdiff_t stride, int64_t n, float *dst) {
    if (stride == (ptrdiff_t)sizeof(int16_t)) {
        const int16_t *x = (const int16_t *)src;
        for (int64_t i = 0; i < n; i++) dst[i] = (float)x[i];
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        int16_t v;
        memcpy(&v, src + i * stride, sizeof v);
        dst[i] = (float)v;
    }
}

/* ---- dispatch ------------------------------------------------------------ */

static int best_level = -1;
static int level = -1;

int audio_kernel_best(void) {
    if (best_level < 0) {
        int b = 0;
#ifdef AUDIO_X86
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) b = 1;
        if (b == 1 && __builtin_cpu_supports("avx512f")) b = 2;
#endif
        best_level = b;
    }
    return best_level;
}

int audio_kernel_select(int want) {
    int b = audio_kernel_best();
    level = want < 0 || want > b ? b : want;
    return level;
}

int audio_kernel_current(void) {
    if (level < 0) audio_kernel_select(-1);
    return level;
}

void audio_resample_run(const float *buf, const float *bank, const float *shifted,
                        int64_t taps, int64_t up, int64_t down, int64_t t0, int64_t count,
                        int16_t *out, ptrdiff_t ostride) {
    if (up != 1) shifted = NULL;
    if (count <= 0) return;
    switch (audio_kernel_current()) {
#ifdef AUDIO_X86
    case 2:
        run(buf, bank, shifted, taps, up, down, t0, count, out, ostride, dot_shared_avx512,
            dot_any_avx512);
        return;
    case 1:
        run(buf, bank, shifted, taps, up, down, t0, count, out, ostride, dot_shared_avx2,
            dot_multi_avx2);
        return;
#endif
    default:
        run(buf, bank, shifted, taps, up, down, t0, count, out, ostride, dot_shared_scalar,
            dot_multi_scalar);
    }
}

void audio_pcm16_f32(const float *x, ptrdiff_t stride, int64_t n, int16_t *out) {
    switch (host_is_little() ? audio_kernel_current() : 0) {
#ifdef AUDIO_X86
    case 2:
        pcm16_f32_avx512(x, stride, n, out);
        return;
    case 1:
        pcm16_f32_avx2(x, stride, n, out);
        return;
#endif
    default:
        pcm16_f32_scalar(x, stride, n, out);
    }
}
