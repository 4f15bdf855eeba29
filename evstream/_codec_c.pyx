# cython: language_level=3
# distutils: sources = evstream/_crc32.c
# distutils: libraries = z
"""Compiled twin of ``_codec_py``: the same API, results and exception classes.

Where the time goes, and what this module does about it:

* CRC32 runs on every byte twice per message: a carry-less multiply fold in
  ``_crc32.c`` (chosen at import from what the CPU offers).
* Transcribe repeats the same header block in every message, so each decoder
  remembers the last header block it parsed and, when the next one is
  byte-identical, copies the remembered dict instead of parsing again.
* Header names and short string values are interned in a small cache keyed
  by their bytes, so a new header block rarely allocates strings.
* ``Decoder.feed`` parses straight from the caller's buffer and only copies
  the unfinished tail; a pending message is completed by copying just the
  bytes it still needs.
"""

cimport cython
from cpython.buffer cimport PyBUF_SIMPLE, PyBuffer_Release, PyObject_CheckBuffer, PyObject_GetBuffer
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_CheckExact, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.dict cimport PyDict_CheckExact, PyDict_Copy, PyDict_Next
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_XDECREF
from cpython.unicode cimport PyUnicode_CheckExact, PyUnicode_DecodeUTF8
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcmp, memcpy, memmove

import uuid as _uuid_mod
from collections.abc import Mapping as _Mapping
from datetime import datetime as _datetime, timedelta as _timedelta, timezone as _timezone

from . import _errors as E
from . import _types as _T
from ._types import check_max_message_size
from ._types import Int8, Int16, Int32, Int64, Message

__all__ = ["CRC32_KERNEL", "Decoder", "crc32", "decode", "encode"]


cdef extern from "Python.h":
    const char *PyUnicode_AsUTF8AndSize(object s, Py_ssize_t *size) except NULL


cdef extern from *:
    """
    /* Message is a tuple subclass without a __dict__: fill a new one in place, as
       tuple.__new__(Message, (headers, payload)) would, without the argument tuples. */
    static PyObject *evs_pair_new(PyObject *type, PyObject *a, PyObject *b) {
        PyTypeObject *tp = (PyTypeObject *)type;
        PyObject *t = tp->tp_alloc(tp, 2);
        if (t == NULL) return NULL;
        Py_INCREF(a);
        Py_INCREF(b);
        PyTuple_SET_ITEM(t, 0, a);
        PyTuple_SET_ITEM(t, 1, b);
        return t;
    }
    """
    object evs_pair_new(object type, object a, object b)


cdef extern from "_crc32.h":
    void evs_crc32_init()
    uint32_t evs_crc32(uint32_t crc, const unsigned char *buf, size_t length) nogil
    const char *evs_crc32_kernel()
    int evs_crc32_select(const char *name)


evs_crc32_init()
CRC32_KERNEL = evs_crc32_kernel().decode()

cdef object _EventStreamError = E.EventStreamError
cdef object _UUID = _uuid_mod.UUID
cdef object _EPOCH = _datetime(1970, 1, 1, tzinfo=_timezone.utc)
cdef object _MS = _timedelta(milliseconds=1)
# The limits as C integers (a module global would be a dict lookup on every use).
cdef Py_ssize_t MESSAGE_LIMIT = _T.MESSAGE_LIMIT
cdef Py_ssize_t HEADERS_LIMIT = _T.HEADERS_LIMIT
cdef Py_ssize_t NAME_LIMIT = _T.NAME_LIMIT
cdef Py_ssize_t VALUE_LIMIT = _T.VALUE_LIMIT
cdef object _int_new = int.__new__

cdef enum:
    NOGIL_BYTES = 65536        # above this, CRC32 runs with the GIL released
    STR_CACHE_SLOTS = 1024     # interned header strings (a power of two)
    STR_CACHE_MAXLEN = 48      # longer strings are not interned
    HEADER_CACHE_MAX = 4096    # longer header blocks are not remembered
    STACK_FIELDS = 16          # headers encoded without a malloc


def _crc32_kernels():
    """Names of the CRC32 kernels this CPU can run (tests and benchmarks)."""
    names = []
    for name in (b"vpclmulqdq-avx512", b"pclmulqdq", b"armv8-crc32", b"zlib"):
        if evs_crc32_select(name):
            names.append(name.decode())
    evs_crc32_select(CRC32_KERNEL.encode())
    return names


def _use_crc32_kernel(str name):
    """Switch the CRC32 kernel for the whole process (tests and benchmarks)."""
    if not evs_crc32_select(name.encode()):
        raise ValueError(f"CRC32 kernel {name!r} is not available on this CPU")


cdef inline uint32_t _be32(const unsigned char *p) noexcept nogil:
    return (<uint32_t>p[0] << 24) | (<uint32_t>p[1] << 16) | (<uint32_t>p[2] << 8) | p[3]


cdef inline uint64_t _be64(const unsigned char *p) noexcept nogil:
    return (<uint64_t>_be32(p) << 32) | _be32(p + 4)


cdef inline void _put32(unsigned char *p, uint32_t v) noexcept nogil:
    p[0] = <unsigned char>(v >> 24)
    p[1] = <unsigned char>(v >> 16)
    p[2] = <unsigned char>(v >> 8)
    p[3] = <unsigned char>v


cdef inline uint32_t _crc(uint32_t c, const unsigned char *p, Py_ssize_t n) noexcept:
    if n < NOGIL_BYTES:
        return evs_crc32(c, p, <size_t>n)
    with nogil:
        c = evs_crc32(c, p, <size_t>n)
    return c


# --------------------------------------------------------------------------- buffers

cdef struct View:
    const unsigned char *ptr
    Py_ssize_t len
    bint owned              # a Py_buffer to release
    Py_buffer buf


cdef object _view(object data, View *v, str what):
    """Borrow the bytes of *data*; return the object the caller must keep alive.

    Exact ``bytes`` need no buffer request; a non-contiguous buffer (a strided
    memoryview) is copied, as ``bytes()`` would.
    """
    v.owned = False
    if PyBytes_CheckExact(data):
        v.ptr = <const unsigned char *>PyBytes_AS_STRING(data)
        v.len = PyBytes_GET_SIZE(data)
        return data
    if isinstance(data, str) or not PyObject_CheckBuffer(data):
        raise TypeError(f"{what} must be a bytes-like object, not {type(data).__name__}")
    if isinstance(data, memoryview) and not (<object>data).c_contiguous:
        data = bytes(data)
        v.ptr = <const unsigned char *>PyBytes_AS_STRING(data)
        v.len = PyBytes_GET_SIZE(data)
        return data
    PyObject_GetBuffer(data, &v.buf, PyBUF_SIMPLE)
    v.owned = True
    v.ptr = <const unsigned char *>v.buf.buf
    v.len = v.buf.len
    return data


cdef inline void _release(View *v) noexcept:
    if v.owned:
        PyBuffer_Release(&v.buf)
        v.owned = False


def crc32(data, value=0):
    """CRC-32 of *data* continuing from *value*, equal to ``zlib.crc32``.

    >>> import zlib
    >>> crc32(b"hello") == zlib.crc32(b"hello")
    True
    """
    cdef View v
    data = _view(data, &v, "data")
    try:
        if not isinstance(value, int):
            raise TypeError(f"value must be an int, not {type(value).__name__}")
        return _crc(<uint32_t>(value & 0xFFFFFFFF), v.ptr, v.len)
    finally:
        _release(&v)


# --------------------------------------------------------------------------- strings

cdef struct StrSlot:
    PyObject *obj
    Py_ssize_t n
    unsigned char data[STR_CACHE_MAXLEN]

cdef StrSlot _str_cache[STR_CACHE_SLOTS]


cdef object _utf8(const unsigned char *p, Py_ssize_t n):
    """Decode UTF-8, interning short strings; raises UnicodeDecodeError."""
    cdef uint32_t h = 2166136261u
    cdef Py_ssize_t i
    cdef StrSlot *slot
    if n > STR_CACHE_MAXLEN:
        return PyUnicode_DecodeUTF8(<const char *>p, n, "strict")
    for i in range(n):
        h = (h ^ p[i]) * 16777619u
    slot = &_str_cache[(h ^ (h >> 15)) & (STR_CACHE_SLOTS - 1)]
    if slot.obj != NULL and slot.n == n and memcmp(slot.data, p, <size_t>n) == 0:
        return <object>slot.obj
    s = PyUnicode_DecodeUTF8(<const char *>p, n, "strict")
    Py_INCREF(s)
    Py_XDECREF(slot.obj)
    slot.obj = <PyObject *>s
    slot.n = n
    memcpy(slot.data, p, <size_t>n)
    return s


# --------------------------------------------------------------------------- decode

@cython.final
cdef class _HeaderCache:
    """The last header block parsed and its dict (never handed out: copied)."""
    cdef bytes block
    cdef dict headers


cdef _HeaderCache _decode_cache = _HeaderCache()


cdef int _check_prelude(const unsigned char *p, Py_ssize_t at, uint64_t limit,
                        Py_ssize_t *total, Py_ssize_t *hlen) except -1:
    cdef uint32_t t = _be32(p), h = _be32(p + 4), stated = _be32(p + 8)
    cdef uint32_t computed = evs_crc32(0, p, 8)
    if stated != computed:
        raise E.prelude_mismatch(at, stated, computed)
    if t < 16 or t > limit or h > t - 16 or h > HEADERS_LIMIT:
        raise E.bad_lengths(at, t, h, limit)
    total[0] = t
    hlen[0] = h
    return 0


cdef inline int _need(Py_ssize_t pos, Py_ssize_t size, Py_ssize_t n, Py_ssize_t at,
                      Py_ssize_t here, object name) except -1:
    if pos + size > n:
        raise E.bad_header(at, here, f"header {name!r} value runs past the header block")
    return 0


cdef dict _parse_headers(const unsigned char *p, Py_ssize_t n, Py_ssize_t at):
    cdef dict headers = {}
    cdef Py_ssize_t pos = 0, here, name_len, size
    cdef uint8_t kind
    cdef int64_t ms
    while pos < n:
        here = 12 + pos
        name_len = p[pos]
        if name_len == 0:
            raise E.bad_header(at, here, "header name is empty")
        pos += 1
        if pos + name_len + 1 > n:
            raise E.bad_header(at, here, "header runs past the end of the header block")
        try:
            name = _utf8(p + pos, name_len)
        except UnicodeDecodeError:
            raise E.bad_header(at, here, "header name is not valid UTF-8") from None
        pos += name_len
        kind = p[pos]
        pos += 1
        if kind == 7 or kind == 6:
            _need(pos, 2, n, at, here, name)
            size = (<Py_ssize_t>p[pos] << 8) | p[pos + 1]
            pos += 2
            if size > VALUE_LIMIT:
                raise E.bad_header(
                    at, here, f"header {name!r} value is {size} bytes; the limit is {VALUE_LIMIT}"
                )
            _need(pos, size, n, at, here, name)
            if kind == 6:
                value = PyBytes_FromStringAndSize(<const char *>p + pos, size)
            else:
                try:
                    value = _utf8(p + pos, size)
                except UnicodeDecodeError:
                    raise E.bad_header(
                        at, here, f"header {name!r} string value is not valid UTF-8"
                    ) from None
            pos += size
        elif kind == 0:
            value = True
        elif kind == 1:
            value = False
        elif kind == 2:
            _need(pos, 1, n, at, here, name)
            value = _int_new(Int8, <int8_t>p[pos])
            pos += 1
        elif kind == 3:
            _need(pos, 2, n, at, here, name)
            value = _int_new(Int16, <int16_t>((<uint32_t>p[pos] << 8) | p[pos + 1]))
            pos += 2
        elif kind == 4:
            _need(pos, 4, n, at, here, name)
            value = _int_new(Int32, <int32_t>_be32(p + pos))
            pos += 4
        elif kind == 5:
            _need(pos, 8, n, at, here, name)
            value = _int_new(Int64, <int64_t>_be64(p + pos))
            pos += 8
        elif kind == 8:
            _need(pos, 8, n, at, here, name)
            ms = <int64_t>_be64(p + pos)
            pos += 8
            try:
                value = _EPOCH + ms * _MS
            except OverflowError:
                raise E.bad_header(
                    at, here, f"header {name!r} timestamp {ms} ms is out of datetime's range"
                ) from None
        elif kind == 9:
            _need(pos, 16, n, at, here, name)
            value = _UUID(bytes=PyBytes_FromStringAndSize(<const char *>p + pos, 16))
            pos += 16
        else:
            raise E.bad_header(at, here, f"header {name!r} has unknown value type {kind}")
        if name in headers:
            raise E.bad_header(at, here, f"duplicate header {name!r}")
        headers[name] = value
    return headers


cdef object _parse_message(const unsigned char *p, Py_ssize_t total, Py_ssize_t hlen,
                           Py_ssize_t at, _HeaderCache cache):
    """Check the message CRC of the whole message at *p*, then build the Message."""
    cdef Py_ssize_t end = total - 4
    cdef uint32_t stated = _be32(p + end)
    cdef uint32_t computed = _crc(0, p, end)
    cdef const unsigned char *hp = p + 12
    cdef dict headers
    if stated != computed:
        raise E.message_mismatch(at, stated, computed)
    block = cache.block
    if (block is not None and PyBytes_GET_SIZE(block) == hlen
            and memcmp(PyBytes_AS_STRING(block), hp, <size_t>hlen) == 0):
        headers = PyDict_Copy(cache.headers)
    else:
        headers = _parse_headers(hp, hlen, at)
        if hlen <= HEADER_CACHE_MAX:
            cache.block = PyBytes_FromStringAndSize(<const char *>hp, hlen)
            cache.headers = headers
            headers = PyDict_Copy(headers)
    payload = PyBytes_FromStringAndSize(<const char *>hp + hlen, end - 12 - hlen)
    return evs_pair_new(Message, headers, payload)


def decode(data):
    """Decode exactly one whole message.

    >>> decode(encode({"a": 1}, b"x")).headers
    {'a': Int32(1)}
    """
    cdef View v
    cdef Py_ssize_t total, hlen
    data = _view(data, &v, "data")
    try:
        if v.len < 12:
            raise E.truncated(0, v.len, 12)
        _check_prelude(v.ptr, 0, MESSAGE_LIMIT, &total, &hlen)
        if v.len < total:
            raise E.truncated(0, v.len, total)
        if v.len > total:
            raise E.trailing(0, v.len - total)
        return _parse_message(v.ptr, total, hlen, 0, _decode_cache)
    finally:
        _release(&v)


@cython.final
cdef class Decoder:
    """Incremental (sans-I/O) decoder: feed bytes in any chunks, get whole messages.

    ``feed(data)`` returns the messages completed so far, in order.  When a
    message is invalid, the error is raised; if messages completed earlier in
    the same ``feed`` call, they are returned first and the error is raised by
    the next ``feed`` or ``close``.  A decoder that raised stays failed and
    drops what it had buffered (``pending`` is then 0).  ``close()`` raises
    ``TruncatedMessage`` if bytes of an unfinished message remain.
    Not thread-safe: use one decoder per stream.

    >>> d = Decoder()
    >>> wire = encode({"n": 1}, b"a") * 2
    >>> len(d.feed(wire[:5])), len(d.feed(wire[5:])), d.pending
    (0, 2, 0)
    """

    cdef unsigned char *_buf
    cdef Py_ssize_t _len, _cap      # the pending bytes are _buf[0:_len]
    cdef Py_ssize_t _offset         # stream offset of _buf[0]
    cdef Py_ssize_t _total, _hlen   # validated prelude of the pending message, or -1
    cdef uint64_t _limit
    cdef object _error
    cdef bint _closed, _busy
    cdef _HeaderCache _cache

    def __cinit__(self):
        self._buf = NULL
        self._len = self._cap = 0
        self._offset = 0
        self._total = self._hlen = -1
        self._cache = _HeaderCache()

    def __init__(self, max_message_size=MESSAGE_LIMIT):
        self._limit = check_max_message_size(max_message_size)

    def __dealloc__(self):
        free(self._buf)

    @property
    def max_message_size(self):
        """The largest message accepted, in bytes."""
        return self._limit

    @property
    def pending(self):
        """Bytes buffered that do not yet form a whole message."""
        return self._len

    cdef int _append(self, const unsigned char *p, Py_ssize_t n) except -1:
        cdef Py_ssize_t cap
        cdef unsigned char *nb
        if self._len + n > self._cap:
            cap = max(self._cap * 2, self._len + n, 256)
            nb = <unsigned char *>realloc(self._buf, <size_t>cap)
            if nb == NULL:
                raise MemoryError()
            self._buf = nb
            self._cap = cap
        memcpy(self._buf + self._len, p, <size_t>n)
        self._len += n
        return 0

    cdef Py_ssize_t _run(self, const unsigned char *p, Py_ssize_t n, list out) except -1:
        """Parse whole messages from p[0:n]; return the bytes consumed.

        A trailing partial message is left unconsumed; if its prelude is
        complete it is validated now (so an oversized message fails at once).
        """
        cdef Py_ssize_t pos = 0, total, hlen
        while n - pos >= 12:
            _check_prelude(p + pos, self._offset, self._limit, &total, &hlen)
            if n - pos < total:
                self._total = total
                self._hlen = hlen
                break
            out.append(_parse_message(p + pos, total, hlen, self._offset, self._cache))
            pos += total
            self._offset += total
        return pos

    cdef int _complete_pending(self, const unsigned char *p, Py_ssize_t n,
                               Py_ssize_t *used, list out) except -1:
        """Move bytes from p into the pending message until it is whole or p runs out."""
        cdef Py_ssize_t take, pos = 0
        if self._total < 0:
            take = min(12 - self._len, n)
            self._append(p, take)
            pos = take
            if self._len < 12:
                used[0] = pos
                return 0
            _check_prelude(self._buf, self._offset, self._limit, &self._total, &self._hlen)
        take = min(self._total - self._len, n - pos)
        self._append(p + pos, take)
        pos += take
        used[0] = pos
        if self._len == self._total:
            out.append(_parse_message(self._buf, self._total, self._hlen, self._offset,
                                      self._cache))
            self._offset += self._total
            self._len = 0
            self._total = self._hlen = -1
            if self._cap > 65536:   # do not keep a large buffer around
                free(self._buf)
                self._buf = NULL
                self._cap = 0
        return 0

    def feed(self, data):
        """Add *data* to the stream; return the messages it completed."""
        cdef View v
        cdef Py_ssize_t used = 0, rest
        cdef list out = []
        if self._closed:
            raise RuntimeError("feed() called on a closed Decoder")
        if self._busy:
            raise RuntimeError("Decoder.feed() called concurrently")
        data = _view(data, &v, "data")
        self._busy = True
        try:
            if self._error is not None:
                self._raise_error()
            try:
                if self._len:
                    self._complete_pending(v.ptr, v.len, &used, out)
                if self._len == 0 and used < v.len:
                    used += self._run(v.ptr + used, v.len - used, out)
                    rest = v.len - used
                    if rest:
                        self._append(v.ptr + used, rest)
            except _EventStreamError as exc:
                self._error = exc  # the stream is unusable from here: drop what is buffered
                self._len = 0
                if not out:
                    raise
            return out
        finally:
            self._busy = False
            _release(&v)

    cdef int _raise_error(self) except -1:
        err = self._error
        raise type(err)(str(err), err.offset)

    def close(self):
        """Declare the end of the stream; raise if it ended inside a message."""
        self._closed = True
        if self._error is not None:
            self._raise_error()
        if self._len:
            self._error = E.truncated(self._offset, self._len,
                                      self._total if self._total >= 0 else 12)
            self._raise_error()

    def __repr__(self):
        return f"<Decoder pending={self._len} max_message_size={self._limit}>"


# --------------------------------------------------------------------------- encode

cdef struct Field:
    const unsigned char *name
    Py_ssize_t name_len
    int kind
    const unsigned char *data   # kinds 6, 7, 9
    Py_ssize_t data_len
    int64_t ival                # kinds 2-5, 8


cdef Py_ssize_t _encode_name(object name, Field *f) except -1:
    if not isinstance(name, str):
        raise E.bad_value(repr(name), f"header name must be a str, not {type(name).__name__}")
    try:
        f.name = <const unsigned char *>PyUnicode_AsUTF8AndSize(name, &f.name_len)
    except UnicodeEncodeError:
        raise E.bad_value(name, "header name is not encodable as UTF-8") from None
    if not 1 <= f.name_len <= NAME_LIMIT:
        raise E.bad_value(name, f"header name is {f.name_len} bytes; allowed: 1 to {NAME_LIMIT}")
    return 1 + f.name_len


cdef Py_ssize_t _fast_value(object name, object value, Field *f) except -2:
    """Classify the common exact types, whose inspection runs no Python code.

    Returns the encoded size (type byte included), or -1 for any other type.
    """
    cdef type t = type(value)
    if t is str:
        try:
            f.data = <const unsigned char *>PyUnicode_AsUTF8AndSize(value, &f.data_len)
        except UnicodeEncodeError:
            raise E.bad_value(name, "string value is not encodable as UTF-8") from None
        if f.data_len > VALUE_LIMIT:
            raise E.bad_value(name, f"value is {f.data_len} bytes; the limit is {VALUE_LIMIT}")
        f.kind = 7
        return 3 + f.data_len
    if value is True or value is False:
        f.kind = 0 if value else 1
        return 1
    if t is Int8:
        f.kind = 2; f.ival = value
        return 2
    if t is Int16:
        f.kind = 3; f.ival = value
        return 3
    if t is Int32:
        f.kind = 4; f.ival = value
        return 5
    if t is Int64:
        f.kind = 5; f.ival = value
        return 9
    if t is int:
        return _int_value(name, value, f)
    return -1


cdef Py_ssize_t _int_value(object name, object value, Field *f) except -1:
    if -(2**31) <= value < 2**31:
        f.kind = 4; f.ival = value
        return 5
    if -(2**63) <= value < 2**63:
        f.kind = 5; f.ival = value
        return 9
    raise E.bad_value(name, f"integer {value} does not fit in 64 bits")


cdef Py_ssize_t _encode_value(object name, object value, Field *f, list keep) except -1:
    """Classify *value*, fill *f*, return its encoded size (type byte included).

    Values that are not exact common types may run Python code while being
    inspected (``datetime`` arithmetic, ``UUID.bytes``); objects created for
    them are appended to *keep* so that *f* can borrow their bytes.
    """
    cdef Py_ssize_t size = _fast_value(name, value, f)
    if size >= 0:
        return size
    if isinstance(value, Int8):
        f.kind = 2; f.ival = value
        return 2
    if isinstance(value, Int16):
        f.kind = 3; f.ival = value
        return 3
    if isinstance(value, Int32):
        f.kind = 4; f.ival = value
        return 5
    if isinstance(value, Int64):
        f.kind = 5; f.ival = value
        return 9
    if isinstance(value, int):
        return _int_value(name, value, f)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        if len(raw) > VALUE_LIMIT:
            raise E.bad_value(name, f"value is {len(raw)} bytes; the limit is {VALUE_LIMIT}")
        keep.append(raw)
        f.kind = 6
        f.data = <const unsigned char *>PyBytes_AS_STRING(raw)
        f.data_len = PyBytes_GET_SIZE(raw)
        return 3 + f.data_len
    if isinstance(value, str):
        # a str subclass: the UTF-8 cache is not guaranteed, encode explicitly
        try:
            raw = (<str>value).encode("utf-8")
        except UnicodeEncodeError:
            raise E.bad_value(name, "string value is not encodable as UTF-8") from None
        if len(raw) > VALUE_LIMIT:
            raise E.bad_value(name, f"value is {len(raw)} bytes; the limit is {VALUE_LIMIT}")
        keep.append(raw)
        f.kind = 7
        f.data = <const unsigned char *>PyBytes_AS_STRING(raw)
        f.data_len = PyBytes_GET_SIZE(raw)
        return 3 + f.data_len
    if isinstance(value, _datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise E.bad_value(name, "naive datetime; pass an aware one (with tzinfo)")
        f.kind = 8
        f.ival = (value - _EPOCH) // _MS
        return 9
    if isinstance(value, _UUID):
        raw = value.bytes
        keep.append(raw)
        f.kind = 9
        f.data = <const unsigned char *>PyBytes_AS_STRING(raw)
        f.data_len = 16
        return 17
    raise E.bad_value(
        name,
        f"unsupported value type {type(value).__name__}; allowed: bool, int, Int8, Int16, "
        "Int32, Int64, bytes, str, datetime, uuid.UUID",
    )


cdef unsigned char *_write_field(unsigned char *w, Field *f) noexcept:
    cdef int i, width
    w[0] = <unsigned char>f.name_len
    memcpy(w + 1, f.name, <size_t>f.name_len)
    w += 1 + f.name_len
    w[0] = <unsigned char>f.kind
    w += 1
    if f.kind == 6 or f.kind == 7:
        w[0] = <unsigned char>(f.data_len >> 8)
        w[1] = <unsigned char>f.data_len
        memcpy(w + 2, f.data, <size_t>f.data_len)
        return w + 2 + f.data_len
    if f.kind == 9:
        memcpy(w, f.data, 16)
        return w + 16
    if f.kind < 2:
        return w
    width = 1 if f.kind == 2 else 2 if f.kind == 3 else 4 if f.kind == 4 else 8
    for i in range(width):
        w[i] = <unsigned char>(<uint64_t>f.ival >> (8 * (width - 1 - i)))
    return w + width


cdef Py_ssize_t _fields_fast(dict headers, Field *fields) except -2:
    """First pass over an exact dict whose names are exact str and values exact common
    types: borrow everything, run no Python code.  Returns the header block size, or -1
    when some header needs the general path (nothing raised on its account)."""
    cdef Py_ssize_t pos = 0, i = 0, block = 0, size
    cdef PyObject *k
    cdef PyObject *val
    while PyDict_Next(headers, &pos, &k, &val):
        if type(<object>k) is not str:
            return -1
        block += _encode_name(<object>k, &fields[i])
        size = _fast_value(<object>k, <object>val, &fields[i])
        if size < 0:
            return -1
        block += size
        i += 1
    return block


cdef Field *_fields_for(Py_ssize_t count, Field *fields, Field *stack_fields) except NULL:
    """Room for *count* fields: the stack array when it is large enough."""
    if count <= STACK_FIELDS:
        return fields
    if fields != stack_fields:
        free(fields)
    fields = <Field *>malloc(<size_t>count * sizeof(Field))
    if fields == NULL:
        raise MemoryError()
    return fields


def encode(headers, payload=b""):
    """Encode one message (see ``_codec_py.encode`` for the value types).

    >>> wire = encode({":message-type": "event"}, b"hi")
    >>> len(wire), decode(wire) == Message({":message-type": "event"}, b"hi")
    (40, True)
    """
    cdef View v
    cdef Field stack_fields[STACK_FIELDS]
    cdef Field *fields = stack_fields
    cdef Py_ssize_t i, count, block = -1, total
    cdef list keep
    cdef unsigned char *w
    cdef uint32_t c
    cdef bint exact = PyDict_CheckExact(headers)
    if not exact and not isinstance(headers, _Mapping):
        raise TypeError(f"headers must be a mapping, not {type(headers).__name__}")
    payload = _view(payload, &v, "payload")
    try:
        if exact:
            count = len(headers)
            fields = _fields_for(count, fields, stack_fields)
            block = _fields_fast(headers, fields)
        if block < 0:
            items = list(headers.items())   # keeps every name and value alive
            keep = []
            count = len(items)
            fields = _fields_for(count, fields, stack_fields)
            block = 0
            for i in range(count):
                name, value = items[i]
                block += _encode_name(name, &fields[i])
                block += _encode_value(name, value, &fields[i], keep)
        if block > HEADERS_LIMIT:
            raise E.InvalidHeaderValue(
                f"headers take {block} bytes; the limit is {HEADERS_LIMIT}"
            )
        total = 16 + block + v.len
        if total > MESSAGE_LIMIT:
            raise E.MessageTooLarge(
                f"message would be {total} bytes; the limit is {MESSAGE_LIMIT} bytes"
            )
        out = PyBytes_FromStringAndSize(NULL, total)
        w = <unsigned char *>PyBytes_AS_STRING(out)
        _put32(w, <uint32_t>total)
        _put32(w + 4, <uint32_t>block)
        _put32(w + 8, evs_crc32(0, w, 8))
        w += 12
        for i in range(count):
            w = _write_field(w, &fields[i])
        memcpy(w, v.ptr, <size_t>v.len)
        w = <unsigned char *>PyBytes_AS_STRING(out)
        c = _crc(0, w, total - 4)
        _put32(w + total - 4, c)
        return out
    finally:
        if fields != stack_fields:
            free(fields)
        _release(&v)
