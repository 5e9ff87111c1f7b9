// EXIF orientation (tag 0x0112) applied like PIL.ImageOps.exif_transpose.
#pragma once

#include "image/image.h"

namespace cliprt::image {

// Returns the image transformed for orientation 2..8; 1 (or anything else)
// returns it unchanged.
Image ApplyExifOrientation(const Image& in, int orientation);

}  // namespace cliprt::image
