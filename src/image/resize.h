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

// ResampleSamples for an 8-bit image that arrives row by row (a decoder's
// scanlines), for the case where Pillow runs the horizontal pass first: each
// band of rows is resampled horizontally as it arrives, and the vertical
// pass runs at Finish(). Output identical to ResampleSamples.
class StreamingResizer {
 public:
  // Fails with kFailedPrecondition when the resize cannot stream (NEAREST,
  // no horizontal pass, or Pillow's vertical-first order): decode fully then.
  static StatusOr<StreamingResizer> Create(ImageMode mode, int in_w, int in_h, int out_w, int out_h,
                                           ResampleFilter filter);
  // Rows [first_row, first_row + count) of the source, contiguous, in order.
  void ConsumeRows(const uint8_t* rows, int first_row, int count);
  StatusOr<Image> Finish();

 private:
  ImageMode mode_ = ImageMode::kRGB;
  int in_w_ = 0, in_h_ = 0, out_w_ = 0, out_h_ = 0;
  int row0_ = 0, row1_ = 0;
  ResampleCoeffs horizontal_, vertical_;
  std::vector<uint8_t> band_;  // horizontally resampled rows [row0_, row1_)
};

}  // namespace cliprt::image
