"""Images: PNG, JPEG, TIFF (every frame), GIF, BMP, WebP, read with Pillow and OCR'd.

EXIF orientation is applied first, so boxes refer to the image as a person sees
it. Pillow's decompression-bomb guard is set from ``Limits.max_pixels`` and its
warning is an error here: a 35,000-pixel-wide "scan" is refused, not decoded.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageOps

from scanner.extract.errors import CorruptImage, ImageTooLarge, TooManyPages
from scanner.extract import Extracted, Limits, Page
from scanner.extract import ocr

# What Pillow raises on a damaged file: not only OSError. Its format plugins parse the header in
# plain Python, and a hostile one ends in TypeError ("Missing dimensions" in a TIFF), KeyError (a
# tag that is not there), IndexError, struct.error, ... (found by tools/fuzz.py). MemoryError is
# not one of them: the pipeline reports it as out_of_memory.
DAMAGED = (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError, IndexError, AttributeError,
           ArithmeticError, struct.error)


def open_image(data: bytes, limits: Limits) -> Image.Image:
    """Open and check an image without decoding more pixels than the limit allows."""
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"the image has more than {limits.max_pixels:,} pixels") from exc
    except DAMAGED as exc:  # UnidentifiedImageError is an OSError
        raise CorruptImage(f"the image cannot be read ({type(exc).__name__})") from exc
    if width * height > limits.max_pixels:
        raise ImageTooLarge(f"the image is {width} x {height} pixels, over the {limits.max_pixels:,} limit")
    return image


def frames(image: Image.Image, limits: Limits):
    """Each frame upright and in RGB or grey, decoded within the limits."""
    index = 0
    while index < limits.max_pages:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                try:
                    image.seek(index)
                except EOFError:
                    return  # no more frames
                upright = ImageOps.exif_transpose(image.copy())
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                upright.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge(f"frame {index + 1} has more than {limits.max_pixels:,} pixels") from exc
        except DAMAGED as exc:
            if index == 0:
                raise CorruptImage(f"the image cannot be decoded ({type(exc).__name__}: truncated or damaged)") from exc
            return  # a later frame is damaged: keep what was read
        yield upright
        index += 1


def extract_image(data: bytes, name: str, limits: Limits = Limits()) -> Extracted:
    image = open_image(data, limits)
    count = _frame_count(image)
    if count > limits.max_pages:
        raise TooManyPages(f"the image has {count} frames, over the {limits.max_pages}-page limit")
    pages = []
    for number, frame in enumerate(frames(image, limits), start=1):
        result = ocr.read(frame, limits.ocr_timeout_s)
        pages.append(Page(result.text, number=number, source="ocr", size=frame.size, words=result.words,
                          render=lambda index=number - 1: frame_at(data, index, limits)))
    return Extracted(pages=pages, kind="image", extra={"format": image.format})


def _frame_count(image: Image.Image) -> int:
    try:
        return int(getattr(image, "n_frames", 1))
    except DAMAGED:
        return 1  # damaged after the first frame: frames() keeps what can be read


def frame_at(data: bytes, index: int, limits: Limits = Limits()) -> Image.Image:
    """Decode one frame again (pages keep a way to redraw their image, not the image)."""
    for number, frame in enumerate(frames(open_image(data, limits), limits)):
        if number == index:
            return frame
    raise CorruptImage(f"frame {index + 1} is gone")
