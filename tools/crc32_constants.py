"""Print the CRC-32 fold constants used by evstream/_crc32.c.

K(n) = bitreflect32(x^n mod P) << 1, for the IEEE polynomial P = 0x104C11DB7.
A 128-bit lane folded forward by D bits uses K(D + 32) for its low half and
K(D - 32) for its high half.
"""

from __future__ import annotations

P = 0x104C11DB7


def xpow_mod(n: int) -> int:
    """x**n mod P, in normal (non-reflected) bit order."""
    r = 1
    for _ in range(n):
        r <<= 1
        if r & (1 << 32):
            r ^= P
    return r


def reflect32(v: int) -> int:
    return int(f"{v:032b}"[::-1], 2)


def k(n: int) -> int:
    return reflect32(xpow_mod(n)) << 1


if __name__ == "__main__":
    for distance in (2048, 512, 384, 256, 128):
        for n in (distance + 32, distance - 32):
            print(f"#define K_{n} 0x{k(n):09x}ULL")
