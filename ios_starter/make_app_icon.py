"""Draws the app's icon, EmojiLab/Assets.xcassets/AppIcon.appiconset/AppIcon.png: a smiling face in a speech bubble.

1024 x 1024, opaque RGB (the App Store's icon has no transparency; iOS rounds the corners itself). Shapes are signed
distance fields, so every edge is anti-aliased without a drawing library or an emoji font. Run it from anywhere
with the course's Python (it needs NumPy): `python ios_starter/make_app_icon.py`.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

import numpy as np

SIZE = 1024
ICON = Path(__file__).resolve().parent / "EmojiLab" / "Assets.xcassets" / "AppIcon.appiconset" / "AppIcon.png"

TOP, BOTTOM = (0x4F, 0x7C, 0xF0), (0x8A, 0x4F, 0xE8)  # background gradient, blue to violet
BUBBLE, FACE, INK = (0xFF, 0xFF, 0xFF), (0xFF, 0xC9, 0x2E), (0x3A, 0x2A, 0x1A)


def rounded_box(x: np.ndarray, y: np.ndarray, cx: float, cy: float, w: float, h: float, r: float) -> np.ndarray:
    """Signed distance (pixels, negative inside) to a box of half-size w, h with corners of radius r."""
    qx, qy = np.abs(x - cx) - w + r, np.abs(y - cy) - h + r
    outside = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
    return outside + np.minimum(np.maximum(qx, qy), 0) - r


def circle(x: np.ndarray, y: np.ndarray, cx: float, cy: float, r: float) -> np.ndarray:
    return np.hypot(x - cx, y - cy) - r


def triangle(x: np.ndarray, y: np.ndarray, points: list[tuple[float, float]]) -> np.ndarray:
    """Signed distance to a triangle: to its nearest edge, negative where a point is on the inner side of all three."""
    distance = np.full(x.shape, np.inf)
    sides = []
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1]):
        ex, ey = bx - ax, by - ay
        t = np.clip(((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey), 0, 1)
        distance = np.minimum(distance, np.hypot(x - ax - t * ex, y - ay - t * ey))
        sides.append((x - ax) * ey - (y - ay) * ex >= 0)
    inside = (sides[0] == sides[1]) & (sides[1] == sides[2])
    return np.where(inside, -distance, distance)


def smile(x: np.ndarray, y: np.ndarray, cx: float, cy: float, r: float, thickness: float) -> np.ndarray:
    """Signed distance to the lower half of a ring: a mouth."""
    ring = np.abs(np.hypot(x - cx, y - cy) - r) - thickness
    ends = np.minimum(circle(x, y, cx - r, cy, thickness), circle(x, y, cx + r, cy, thickness))
    return np.where(y >= cy, ring, ends)


def draw() -> np.ndarray:
    """The icon's pixels: [SIZE, SIZE, 3] uint8."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64) + 0.5
    fraction = (y / SIZE)[..., None]
    image = (1 - fraction) * np.array(TOP) + fraction * np.array(BOTTOM)

    def paint(distance: np.ndarray, color: tuple[int, int, int]) -> None:
        coverage = np.clip(0.5 - distance, 0, 1)[..., None]  # anti-aliased edge one pixel wide
        image[:] = image * (1 - coverage) + np.array(color) * coverage

    bubble = np.minimum(rounded_box(x, y, 512, 470, 360, 300, 150),
                        triangle(x, y, [(330, 700), (250, 880), (470, 740)]))
    paint(bubble, BUBBLE)
    paint(circle(x, y, 512, 470, 230), FACE)
    paint(np.minimum(circle(x, y, 432, 410, 34), circle(x, y, 592, 410, 34)), INK)
    paint(smile(x, y, 512, 480, 120, 22), INK)
    return np.round(image).astype(np.uint8)


def png(pixels: np.ndarray) -> bytes:
    """An 8-bit RGB PNG of `pixels` (each row unfiltered)."""
    height, width, _ = pixels.shape
    rows = np.concatenate([np.zeros((height, 1), dtype=np.uint8), pixels.reshape(height, width * 3)], axis=1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 9))
            + chunk(b"IEND", b""))


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ICON
    out.write_bytes(png(draw()))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
