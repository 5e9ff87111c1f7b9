// Pillow-exact resizing (Pillow 13.0.0 Image.resize / libImaging Resample.c
// and Geometry.c), bit-identical on 8-bit and 16-bit images.
#pragma once

#include "core/status.h"
#include "image/image.h"
#include "image/resample_filter.h"

namespace cliprt::image {

// Image.resize((out_w, out_h), filter) as Pillow does it:
//  - same size → copy;
//  - modes "1" and "P" always use NEAREST;
//  - "RGBA" / "LA" with a non-NEAREST filter are premultiplied ("RGBa"/"La"),
//    resampled, and un-premultiplied;
//  - otherwise ResampleSamples().
StatusOr<Image> PillowResize(const Image& in, int out_w, int out_h, ResampleFilter filter);

// libImaging's resize on the raw samples, no mode rules: every channel is
// resampled independently with 22-bit fixed-point weights (8-bit images) or
// double weights (I;16), two separable passes in Pillow's order (vertical
// first when the height shrinks by more than twice as many pixels as the
// width), uint8/uint16 rounding between passes. kNearest uses Pillow's
// affine nearest-neighbour coordinates.
StatusOr<Image> ResampleSamples(const Image& in, int out_w, int out_h, ResampleFilter filter);

}  // namespace cliprt::image
