// Pillow's mode conversions (libImaging/Convert.c) that the reference
// pipelines use, with Pillow's integer formulas.
#pragma once

#include "core/status.h"
#include "image/image.h"

namespace cliprt::image {

// Image.convert("RGB"): 1/L/LA replicate the gray value (alpha dropped, not
// composited), P is already expanded, RGBA drops alpha, I;16 saturates at 255
// (Pillow's I16_RGB: values >= 256 become 255, no scaling), CMYK uses
// clip8(nk - MULDIV255(c, nk)) with nk = 255 - K.
Image ConvertToRGB(const Image& in);

// transformers' convert_to_rgb (5.24): images with an alpha band or a
// "transparency" entry are converted to RGBA and alpha_composite()d over
// opaque white (Pillow's integer formula), others go through ConvertToRGB.
Image ConvertToRGBOverWhite(const Image& in);

// RGBA → "RGBa" / LA → "La" in place: c' = MULDIV255(c, alpha).
void PremultiplyAlpha(Image& img);
// "RGBa" → RGBA / "La" → LA in place: c = clip8(255*c'/alpha) (integer
// division) for 0 < alpha < 255, unchanged otherwise.
void UnpremultiplyAlpha(Image& img);

}  // namespace cliprt::image
