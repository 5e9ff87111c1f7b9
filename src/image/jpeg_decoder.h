// JPEG through libjpeg-turbo, configured like Pillow's JpegDecode.c.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/function_ref.h"
#include "core/status.h"
#include "image/image.h"

namespace cliprt::image {

struct JpegHeader {
  int64_t width = 0;
  int64_t height = 0;
  int components = 0;     // 1 → L, 3 → RGB, 4 → CMYK (Pillow's "layers")
  int orientation = 1;    // EXIF orientation tag, 1 when absent/invalid
};

StatusOr<JpegHeader> ReadJpegHeader(const uint8_t* data, size_t size);

// Decodes to L, RGB or CMYK (Adobe-inverted like Pillow's "CMYK;I"). The
// pixel limit is checked on the header before any pixel buffer exists.
StatusOr<Image> DecodeJpeg(const uint8_t* data, size_t size, int64_t max_pixels);

// Decodes like DecodeJpeg but hands the rows to `sink` in bands instead of
// storing the image: sink(rows, first_row, count), rows contiguous with
// width*channels bytes each. Only for 1- and 3-component JPEGs (L, RGB);
// `mode_out` tells which. A sink error aborts decoding and is returned.
Status DecodeJpegRows(const uint8_t* data, size_t size, int64_t max_pixels, ImageMode* mode_out,
                      FunctionRef<Status(const uint8_t*, int, int)> sink);

// EXIF orientation (1..8) from the JPEG's APP1 segment; 1 if none.
int JpegExifOrientation(const uint8_t* data, size_t size);

}  // namespace cliprt::image
