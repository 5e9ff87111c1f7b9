// Palette BMPs (1/4/8 bits per pixel, uncompressed) decoded here rather than
// by stb_image, which reads indices past a short palette from uninitialized
// stack memory (found by the fuzzer). Modes follow Pillow's BmpImagePlugin:
// a palette equal to the gray ramp (0, 1, 2, ... or black/white for 2
// colours) opens as L ("1" for <= 2 colours), otherwise P.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/status.h"
#include "image/image.h"

namespace cliprt::image {

// True for a BMP whose DIB header declares <= 8 bits per pixel.
bool IsPaletteBmp(const uint8_t* data, size_t size);

// Mode the file opens as (L, 1 or P), from the header and palette only.
StatusOr<ImageMode> PaletteBmpMode(const uint8_t* data, size_t size);

StatusOr<Image> DecodePaletteBmp(const uint8_t* data, size_t size, int64_t max_pixels);

}  // namespace cliprt::image
