# distutils: sources = audio/_kernel.c
# distutils: extra_compile_args = -O3 -ffp-contract=off
"""The compiled implementation of :mod:`audio` (see ``_resample_py.py`` for the spec).

The filter design, the argument checks and their messages are shared with
the reference; the dot products run in ``_kernel.c`` with the GIL released.
"""

import numpy as np

cimport numpy as cnp
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.stdint cimport int16_t, int64_t
from libc.stdint cimport uintptr_t
from libc.stdlib cimport calloc, free, malloc
from libc.string cimport memcpy, memset

from ._checks import check_channels, check_chunk, check_dtype, check_rate, check_samples
from ._design import design
from ._mix import downmix
from ._wav import read_wav

cnp.import_array()

__all__ = ["Resampler", "downmix", "read_wav", "resample", "to_pcm16"]

cdef extern from "_kernel.h" nogil:
    void audio_resample_run(const float *buf, const float *bank, const float *shifted,
                            int64_t taps, int64_t up, int64_t down, int64_t t0, int64_t count,
                            int16_t *out, Py_ssize_t ostride)
    void audio_pcm16_f32(const float *x, Py_ssize_t stride, int64_t n, int16_t *out)
    void audio_pcm16_f64(const double *x, Py_ssize_t stride, int64_t n, int16_t *out)
    void audio_units_f32(const char *src, Py_ssize_t stride, int64_t n, float *dst)
    void audio_units_f64(const char *src, Py_ssize_t stride, int64_t n, float *dst)
    void audio_units_i16(const char *src, Py_ssize_t stride, int64_t n, float *dst)
    int audio_kernel_best()
    int audio_kernel_select(int level)
    int audio_kernel_current()

_KERNELS = ("scalar", "avx2", "avx512")


def _kernels():
    """Kernel paths this CPU can run, best last."""
    return _KERNELS[: audio_kernel_best() + 1]


def _kernel():
    """The kernel path in use."""
    return _KERNELS[audio_kernel_current()]


def _select_kernel(name=None):
    """Use kernel path *name* (None: the best available); returns the one in effect."""
    return _KERNELS[audio_kernel_select(-1 if name is None else _KERNELS.index(name))]


_PREPARED = {}


cdef object _aligned_empty(object shape):
    """A zeroed float32 array whose data starts on a 64-byte boundary."""
    cdef int64_t size = int(np.prod(shape))
    raw = np.zeros(size + 16, dtype=np.float32)
    cdef int64_t off = (-(<int64_t>(<uintptr_t>cnp.PyArray_DATA(raw)) // 4)) % 16
    return raw[off : off + size].reshape(shape)


cdef tuple _prepared(object d):
    """The design's bank copied to a 64-byte boundary, and for a single-phase design
    16 copies of its taps, copy a shifted right by a floats in taps + 16 zeros
    (see _kernel.h); cached per design."""
    key = (d.in_rate, d.out_rate)
    cached = _PREPARED.get(key)
    if cached is not None:
        return cached
    bank = _aligned_empty(d.bank.shape)
    bank[...] = d.bank
    bank.setflags(write=False)
    shifted = None
    if d.up == 1:
        shifted = _aligned_empty((16, d.taps + 16))
        for a in range(16):
            shifted[a, a : a + d.taps] = d.bank[0]
        shifted.setflags(write=False)
    if len(_PREPARED) >= 64:  # as many as design() keeps
        _PREPARED.clear()
    _PREPARED[key] = (bank, shifted)
    return _PREPARED[key]


cdef inline float *_align64(void *p) noexcept nogil:
    return <float *>((<uintptr_t>p + 63) & ~(<uintptr_t>63))


cdef inline int64_t _mod16(int64_t v) noexcept nogil:
    return ((v % 16) + 16) % 16


cdef inline int64_t _ceil_div(int64_t a, int64_t b) noexcept nogil:
    # b > 0; floor division for negative a
    if a >= 0:
        return (a + b - 1) // b
    return -((-a) // b)


cdef enum Kind:
    K_F32 = 0
    K_F64 = 1
    K_I16 = 2


cdef inline int _kind(cnp.ndarray a):
    cdef int t = cnp.PyArray_TYPE(a)
    if t == cnp.NPY_FLOAT32:
        return K_F32
    if t == cnp.NPY_FLOAT64:
        return K_F64
    if t == cnp.NPY_INT16:
        return K_I16
    return -1


cdef inline void _units(const char *src, Py_ssize_t stride, int kind, int64_t n,
                        float *dst) noexcept nogil:
    """Samples → float32 in int16 units (clip to [-1, 1], NaN → 0, x32767), as the reference."""
    if kind == K_I16:
        audio_units_i16(src, stride, n, dst)
    elif kind == K_F32:
        audio_units_f32(src, stride, n, dst)
    else:
        audio_units_f64(src, stride, n, dst)


def to_pcm16(samples):
    """Samples → int16 little-endian bytes (frames interleaved for 2-D input).

    Floats are clipped to [-1, 1] (NaN → 0), scaled by 32767 and rounded to
    nearest, ties to even; int16 passes through unchanged.
    """
    cdef cnp.ndarray a = check_dtype(samples, "samples")
    cdef int kind = _kind(a)
    if kind == K_I16:
        return a.astype("<i2").tobytes()
    cdef Py_ssize_t stride = 1
    if a.ndim == 1 and a.shape[0] > 0:
        if a.strides[0] % a.itemsize == 0:
            stride = a.strides[0] // a.itemsize
        else:
            a = np.ascontiguousarray(a)
    elif not cnp.PyArray_IS_C_CONTIGUOUS(a):
        a = np.ascontiguousarray(a)
    cdef int64_t n = a.size
    out = PyBytes_FromStringAndSize(NULL, 2 * n)
    cdef int16_t *dst = <int16_t *>PyBytes_AS_STRING(out)
    cdef const float *pf = <const float *>cnp.PyArray_DATA(a)
    cdef const double *pd = <const double *>cnp.PyArray_DATA(a)
    with nogil:
        if kind == K_F32:
            audio_pcm16_f32(pf, stride, n, dst)
        else:
            audio_pcm16_f64(pd, stride, n, dst)
    return out


cdef class Resampler:
    """Streaming resampler: ``process()`` each chunk, then ``flush()`` once.

    The concatenation of every ``process()`` result and the ``flush()``
    result equals ``resample()`` of the whole signal, bit for bit, however the
    signal was cut (empty chunks included).  Chunks are 1-D (when
    ``channels == 1``) or (frames, channels); results have the same layout.
    After ``T`` input frames in all, ``max(0, ceil((T * up - half) / down))``
    frames have come out of ``process()``; ``flush()`` returns the rest, up to
    ``ceil(T * up / down)``, and resets the stream.
    """

    cdef readonly int in_rate
    cdef readonly int out_rate
    cdef readonly int channels
    cdef object _d
    cdef cnp.ndarray _bank
    cdef object _shift
    cdef const float *bank
    cdef const float *shifted
    cdef int64_t up, down, half, taps, consumed, emitted
    cdef int ndim
    cdef float *hist
    cdef void *work_raw
    cdef float *work  # 64-byte aligned, channels x cap floats, zero-filled when allocated
    cdef int64_t cap

    def __cinit__(self):
        self.hist = NULL
        self.work_raw = NULL
        self.work = NULL
        self.cap = 0

    def __init__(self, in_rate, out_rate, channels=1):
        self.in_rate = check_rate("in_rate", in_rate)
        self.out_rate = check_rate("out_rate", out_rate)
        self.channels = check_channels(channels)
        d = design(self.in_rate, self.out_rate)
        self._d = d
        self._bank, self._shift = _prepared(d)
        self.bank = <const float *>cnp.PyArray_DATA(self._bank)
        self.shifted = NULL
        if self._shift is not None:
            self.shifted = <const float *>cnp.PyArray_DATA(self._shift)
        self.up, self.down, self.half, self.taps = d.up, d.down, d.half, d.taps
        self.ndim = 1 if self.channels == 1 else 2
        free(self.hist)
        free(self.work_raw)
        self.work_raw = NULL
        self.work = NULL
        self.cap = 0
        self.hist = <float *>malloc(max(1, self.channels * (self.taps - 1)) * sizeof(float))
        if self.hist == NULL:
            raise MemoryError()
        self._reset()

    def __dealloc__(self):
        free(self.hist)
        free(self.work_raw)

    cdef void _reset(self) noexcept:
        memset(self.hist, 0, self.channels * (self.taps - 1) * sizeof(float))
        self.consumed = 0
        self.emitted = 0

    cdef int _reserve(self, int64_t frames) except -1:
        # room for: up to 15 floats of alignment offset, the history, the frames,
        # and 16 floats the aligned kernel may read past the end
        cdef int64_t need = (self.taps - 1 + frames + 32 + 15) // 16 * 16
        if need <= self.cap:
            return 0
        need = max(need, 2 * self.cap)
        free(self.work_raw)
        self.cap = 0
        self.work_raw = calloc(need * self.channels * sizeof(float) + 64, 1)
        if self.work_raw == NULL:
            raise MemoryError()
        self.work = _align64(self.work_raw)
        self.cap = need
        return 0

    cdef inline float *_channel(self, int64_t c) noexcept nogil:
        # place input sample k at an address = k mod 16 floats (see _kernel.h)
        return self.work + c * self.cap + _mod16(self.consumed - (self.taps - 1))

    @property
    def delay(self):
        """Output lag behind the input in output samples: 0, the filter delay is trimmed."""
        return 0.0

    @property
    def latency(self):
        """Seconds an input sample waits for the input that completes its output."""
        return self._d.latency

    cdef cnp.ndarray _out(self, int64_t count):
        cdef cnp.npy_intp dims[2]
        dims[0] = count
        dims[1] = self.channels
        return cnp.PyArray_EMPTY(self.ndim, dims, cnp.NPY_INT16, 0)

    def process(self, chunk):
        """Feed *chunk*; return every output frame whose input window is now complete."""
        cdef cnp.ndarray a
        if (type(chunk) is np.ndarray and (<cnp.ndarray>chunk).ndim == 1 + (self.channels > 1)
                and _kind(<cnp.ndarray>chunk) >= 0
                and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>chunk)
                and ((<cnp.ndarray>chunk).ndim == 1 or (<cnp.ndarray>chunk).shape[1] == self.channels)):
            a = <cnp.ndarray>chunk
        else:
            a = check_chunk(chunk, self.channels)
        self.ndim = a.ndim
        cdef int kind = _kind(a)
        cdef int64_t n = a.shape[0]
        cdef int64_t total = self.consumed + n
        cdef int64_t count = max(0, _ceil_div(total * self.up - self.half, self.down)) - self.emitted
        cdef cnp.ndarray out = self._out(count)
        if n == 0:
            return out
        self._reserve(n)
        cdef int64_t t0 = self.emitted * self.down + self.half - self.consumed * self.up
        cdef int64_t keep = self.taps - 1, c
        cdef int ch = self.channels
        cdef const char *src = <const char *>cnp.PyArray_DATA(a)
        cdef Py_ssize_t s0 = a.strides[0]
        cdef Py_ssize_t s1 = a.strides[1] if a.ndim == 2 else 0
        cdef int16_t *dst = <int16_t *>cnp.PyArray_DATA(out)
        cdef float *w
        with nogil:
            for c in range(ch):
                w = self._channel(c)
                memcpy(w, self.hist + c * keep, keep * sizeof(float))
                _units(src + c * s1, s0, kind, n, w + keep)
                audio_resample_run(w, self.bank, self.shifted, self.taps, self.up, self.down, t0, count,
                                   dst + c, ch)
                memcpy(self.hist + c * keep, w + n, keep * sizeof(float))
        self.consumed = total
        self.emitted += count
        return out

    def flush(self):
        """Return the remaining frames (input padded with silence), then reset the stream."""
        cdef int64_t count = _ceil_div(self.consumed * self.up, self.down) - self.emitted
        cdef int64_t pad = 0, last, c
        if count > 0:
            last = ((self.emitted + count - 1) * self.down + self.half) // self.up
            pad = max(0, last - (self.consumed - 1))
        cdef cnp.ndarray out = self._out(count)
        self._reserve(pad)
        cdef int64_t t0 = self.emitted * self.down + self.half - self.consumed * self.up
        cdef int64_t keep = self.taps - 1
        cdef int ch = self.channels
        cdef int16_t *dst = <int16_t *>cnp.PyArray_DATA(out)
        cdef float *w
        if count > 0:
            with nogil:
                for c in range(ch):
                    w = self._channel(c)
                    memcpy(w, self.hist + c * keep, keep * sizeof(float))
                    memset(w + keep, 0, pad * sizeof(float))
                    audio_resample_run(w, self.bank, self.shifted, self.taps, self.up, self.down, t0, count,
                                       dst + c, ch)
        self._reset()
        return out


def resample(x, in_rate, out_rate):
    """Resample *x* from *in_rate* to *out_rate* Hz; returns int16.

    *x* is 1-D (mono) or (frames, channels), float32/float64 in [-1, 1]
    (clipped; NaN → 0) or int16; channels are resampled independently.  The
    result has ``ceil(frames * out_rate / in_rate)`` frames (exactly, with the
    reduced ratio), the same layout as *x*, and no delay: output sample ``n``
    is at input time ``n * in_rate / out_rate``.
    """
    in_rate = check_rate("in_rate", in_rate)
    out_rate = check_rate("out_rate", out_rate)
    cdef cnp.ndarray a = check_samples(x)
    d = design(in_rate, out_rate)
    bank, shift = _prepared(d)
    cdef int64_t up = d.up, down = d.down, half = d.half, taps = d.taps
    cdef int64_t n = a.shape[0]
    cdef int ch = 1 if a.ndim == 1 else a.shape[1]
    cdef int64_t count = _ceil_div(n * up, down)
    cdef cnp.npy_intp dims[2]
    dims[0] = count
    dims[1] = ch
    cdef cnp.ndarray out = cnp.PyArray_EMPTY(a.ndim, dims, cnp.NPY_INT16, 0)
    if count == 0:
        return out
    # buf[0] is input -(taps - 1); the last output needs input `last`
    cdef int64_t last = ((count - 1) * down + half) // up
    cdef int64_t length = max(last + taps, taps - 1 + n)
    cdef void *raw = calloc(length + 48, sizeof(float))
    if raw == NULL:
        raise MemoryError()
    # input sample k at an address = k mod 16 floats, as in Resampler
    cdef float *buf = _align64(raw) + _mod16(-(taps - 1))
    cdef int kind = _kind(a)
    cdef const char *src = <const char *>cnp.PyArray_DATA(a)
    cdef Py_ssize_t s0 = a.strides[0]
    cdef Py_ssize_t s1 = a.strides[1] if a.ndim == 2 else 0
    cdef int16_t *dst = <int16_t *>cnp.PyArray_DATA(out)
    cdef const float *pbank = <const float *>cnp.PyArray_DATA(bank)
    cdef const float *pshift = NULL
    if shift is not None:
        pshift = <const float *>cnp.PyArray_DATA(shift)
    cdef int c
    try:
        with nogil:
            for c in range(ch):
                memset(buf, 0, (taps - 1) * sizeof(float))
                _units(src + c * s1, s0, kind, n, buf + taps - 1)
                memset(buf + taps - 1 + n, 0, (length - (taps - 1 + n)) * sizeof(float))
                audio_resample_run(buf, pbank, pshift, taps, up, down, half, count, dst + c, ch)
    finally:
        free(raw)
    return out
