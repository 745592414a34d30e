#!/usr/bin/python3
# tests/labels/decode.py: decode one barcode of a PNG with python3-zxing-cpp.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: decode.py FORMAT FILE X Y W H [tight]
#   FORMAT is a zxingcpp.BarcodeFormat name (PDF417, MaxiCode, …). The
#   region X Y W H (pixels) is cropped first; "tight" then crops to the ink
#   and decodes as a pure symbol (MaxiCode is read only that way by
#   zxing-cpp 1.4). Writes the text as UTF-8 to stdout; exit 1 when nothing
#   was read, 77 when zxingcpp or PIL is missing.
import sys

try:
    import zxingcpp
    from PIL import Image, ImageOps
except ImportError as e:
    print(f"decode.py: {e}", file=sys.stderr)
    sys.exit(77)

fmt, path = sys.argv[1], sys.argv[2]
x, y, w, h = (int(v) for v in sys.argv[3:7])
tight = len(sys.argv) > 7 and sys.argv[7] == "tight"

img = Image.open(path).convert("L").crop((x, y, x + w, y + h))
if tight:
    box = ImageOps.invert(img).getbbox()
    if box is None:
        sys.exit(1)
    img = img.crop((box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2))

result = zxingcpp.read_barcode(img, formats=getattr(zxingcpp.BarcodeFormat, fmt), is_pure=tight,
                               binarizer=zxingcpp.Binarizer.FixedThreshold if tight
                               else zxingcpp.Binarizer.LocalAverage)
if result is None or not result.valid:
    sys.exit(1)
sys.stdout.buffer.write(result.text.encode("utf-8"))
