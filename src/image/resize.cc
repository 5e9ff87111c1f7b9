#include "image/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "image/convert.h"
#include "image/resample_kernels.h"

namespace cliprt::image {
namespace {

// Pillow's ROUND_UP then CLIP16 for the 16-bit path.
inline uint16_t Round16(double ss) {
  const int v = static_cast<int>(ss >= 0.0 ? ss + 0.5F : ss - 0.5F);
  return static_cast<uint16_t>(v <= 0 ? 0 : (v < 65536 ? v : 65535));
}

void HorizontalPass16(const uint16_t* in, int in_w, int row0, int rows, const ResampleCoeffs& c,
                      uint16_t* out) {
  for (int y = 0; y < rows; ++y) {
    const uint16_t* line = in + static_cast<size_t>(row0 + y) * static_cast<size_t>(in_w);
    uint16_t* dst = out + static_cast<size_t>(y) * static_cast<size_t>(c.out_size);
    for (int xx = 0; xx < c.out_size; ++xx) {
      const double* k = &c.weights[static_cast<size_t>(xx) * static_cast<size_t>(c.ksize)];
      const uint16_t* src = line + c.first[static_cast<size_t>(xx)];
      double ss = 0.0;
      for (int j = 0; j < c.count[static_cast<size_t>(xx)]; ++j) ss += src[j] * k[j];
      dst[xx] = Round16(ss);
    }
  }
}

void VerticalPass16(const uint16_t* in, int width, int row_offset, const ResampleCoeffs& c, uint16_t* out,
                    std::vector<double>& acc) {
  acc.resize(static_cast<size_t>(width));
  for (int yy = 0; yy < c.out_size; ++yy) {
    const double* k = &c.weights[static_cast<size_t>(yy) * static_cast<size_t>(c.ksize)];
    const int first = c.first[static_cast<size_t>(yy)] - row_offset;
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int j = 0; j < c.count[static_cast<size_t>(yy)]; ++j) {
      const uint16_t* src = in + static_cast<size_t>(first + j) * static_cast<size_t>(width);
      for (int x = 0; x < width; ++x) acc[static_cast<size_t>(x)] += src[x] * k[j];
    }
    uint16_t* dst = out + static_cast<size_t>(yy) * static_cast<size_t>(width);
    for (int x = 0; x < width; ++x) dst[x] = Round16(acc[static_cast<size_t>(x)]);
  }
}

// Pillow's COORD(): -1 for negative values, else truncation.
inline int Coord(double v) { return v < 0.0 ? -1 : static_cast<int>(v); }

Image ResampleNearest(const Image& in, int out_w, int out_h) {
  Image out;
  out.mode = in.mode;
  out.width = out_w;
  out.height = out_h;
  out.palette = in.palette;
  const double a0 = static_cast<double>(static_cast<float>(in.width)) / out_w;
  const double a4 = static_cast<double>(static_cast<float>(in.height)) / out_h;
  std::vector<int> xin(static_cast<size_t>(out_w));
  if (in.mode == ImageMode::kI16) {
    // Pillow routes I;16 through its generic transform: per-pixel products.
    out.pixels16.resize(static_cast<size_t>(out_w) * static_cast<size_t>(out_h));
    for (int y = 0; y < out_h; ++y) {
      for (int x = 0; x < out_w; ++x) {
        const int xi = Coord(a0 * (x + 0.5) + 0.0 * (y + 0.5) + 0.0);
        const int yi = Coord(0.0 * (x + 0.5) + a4 * (y + 0.5) + 0.0);
        uint16_t v = 0;
        if (xi >= 0 && xi < in.width && yi >= 0 && yi < in.height) {
          v = in.pixels16[static_cast<size_t>(yi) * static_cast<size_t>(in.width) + static_cast<size_t>(xi)];
        }
        out.pixels16[static_cast<size_t>(y) * static_cast<size_t>(out_w) + static_cast<size_t>(x)] = v;
      }
    }
    return out;
  }
  const int ch = in.channels();
  out.pixels.assign(static_cast<size_t>(out_w) * static_cast<size_t>(out_h) * static_cast<size_t>(ch), 0);
  // ImagingScaleAffine: positions accumulate by repeated addition.
  double xo = a0 * 0.5;
  for (int x = 0; x < out_w; ++x) {
    int xi = Coord(xo);
    xin[static_cast<size_t>(x)] = (xi >= 0 && xi < in.width) ? xi : -1;
    xo += a0;
  }
  double yo = a4 * 0.5;
  for (int y = 0; y < out_h; ++y) {
    const int yi = Coord(yo);
    yo += a4;
    if (yi < 0 || yi >= in.height) continue;
    const uint8_t* src = in.pixels.data() + static_cast<size_t>(yi) * static_cast<size_t>(in.row_bytes());
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(out_w) * static_cast<size_t>(ch);
    for (int x = 0; x < out_w; ++x) {
      const int xi = xin[static_cast<size_t>(x)];
      if (xi < 0) continue;
      std::memcpy(dst + x * ch, src + static_cast<size_t>(xi) * static_cast<size_t>(ch), static_cast<size_t>(ch));
    }
  }
  return out;
}

}  // namespace

StatusOr<Image> ResampleSamples(const Image& in, int out_w, int out_h, ResampleFilter filter) {
  if (in.empty()) return InvalidArgumentError("cannot resize an empty image");
  if (out_w < 1 || out_h < 1) {
    return InvalidArgumentError("resize target " + std::to_string(out_w) + "x" + std::to_string(out_h) +
                                " must be at least 1x1");
  }
  if (int64_t{out_w} * out_h > (int64_t{1} << 31)) {
    return ResourceExhaustedError("resize target " + std::to_string(out_w) + "x" + std::to_string(out_h) +
                                  " is too large");
  }
  if (out_w == in.width && out_h == in.height) return in;  // Pillow crops (copies)
  if (filter == ResampleFilter::kNearest) return ResampleNearest(in, out_w, out_h);

  const bool need_h = out_w != in.width;
  const bool need_v = out_h != in.height;
  const bool horizontal_first = !((in.height - out_h) > 0 && (in.height - out_h) > (in.width - out_w) * 2);

  ResampleCoeffs ch_coeffs, cv_coeffs;
  if (need_h) {
    ASSIGN_OR_RETURN(ch_coeffs, ComputeResampleCoeffs(in.width, out_w, filter));
    if (in.mode != ImageMode::kI16) ExpandForChannels(ch_coeffs, in.channels());
  }
  if (need_v || (need_h && horizontal_first)) {
    ASSIGN_OR_RETURN(cv_coeffs, ComputeResampleCoeffs(in.height, out_h, filter));
  }

  Image out;
  out.mode = in.mode;
  out.width = out_w;
  out.height = out_h;
  out.palette = in.palette;
  const bool is16 = in.mode == ImageMode::kI16;
  const int channels = in.channels();

  // Rows of the source that the vertical pass reads (horizontal-first only).
  int row0 = 0, row1 = in.height;
  if (need_h && horizontal_first) {
    row0 = cv_coeffs.first[0];
    row1 = cv_coeffs.first[static_cast<size_t>(out_h) - 1] + cv_coeffs.count[static_cast<size_t>(out_h) - 1];
  }

  if (is16) {
    std::vector<uint16_t> tmp;
    std::vector<double> acc;
    if (horizontal_first) {
      if (need_h) {
        tmp.resize(static_cast<size_t>(out_w) * static_cast<size_t>(row1 - row0));
        HorizontalPass16(in.pixels16.data(), in.width, row0, row1 - row0, ch_coeffs, tmp.data());
      }
      if (need_v) {
        out.pixels16.resize(static_cast<size_t>(out_w) * static_cast<size_t>(out_h));
        const uint16_t* src = need_h ? tmp.data() : in.pixels16.data();
        VerticalPass16(src, out_w, need_h ? row0 : 0, cv_coeffs, out.pixels16.data(), acc);
      } else {
        out.pixels16 = std::move(tmp);
      }
    } else {
      tmp.resize(static_cast<size_t>(in.width) * static_cast<size_t>(out_h));
      VerticalPass16(in.pixels16.data(), in.width, 0, cv_coeffs, tmp.data(), acc);
      if (need_h) {
        out.pixels16.resize(static_cast<size_t>(out_w) * static_cast<size_t>(out_h));
        HorizontalPass16(tmp.data(), in.width, 0, out_h, ch_coeffs, out.pixels16.data());
      } else {
        out.pixels16 = std::move(tmp);
      }
    }
    return out;
  }

  std::vector<uint8_t> tmp;
  const size_t out_row = static_cast<size_t>(out_w) * static_cast<size_t>(channels);
  if (horizontal_first) {
    if (need_h) {
      tmp.resize(out_row * static_cast<size_t>(row1 - row0));
      HorizontalPass8(channels, in.pixels.data(), in.width, row0, row1 - row0, ch_coeffs, tmp.data());
    }
    if (need_v) {
      out.pixels.resize(out_row * static_cast<size_t>(out_h));
      const uint8_t* src = need_h ? tmp.data() : in.pixels.data();
      VerticalPass8(src, out_row, need_h ? row0 : 0, cv_coeffs, out.pixels.data());
    } else {
      out.pixels = std::move(tmp);
    }
  } else {
    const size_t in_row = static_cast<size_t>(in.row_bytes());
    tmp.resize(in_row * static_cast<size_t>(out_h));
    VerticalPass8(in.pixels.data(), in_row, 0, cv_coeffs, tmp.data());
    if (need_h) {
      out.pixels.resize(out_row * static_cast<size_t>(out_h));
      HorizontalPass8(channels, tmp.data(), in.width, 0, out_h, ch_coeffs, out.pixels.data());
    } else {
      out.pixels = std::move(tmp);
    }
  }
  return out;
}

StatusOr<StreamingResizer> StreamingResizer::Create(ImageMode mode, int in_w, int in_h, int out_w, int out_h,
                                                    ResampleFilter filter) {
  if (mode == ImageMode::kI16 || mode == ImageMode::kP || mode == ImageMode::k1 || mode == ImageMode::kRGBA ||
      mode == ImageMode::kLA || filter == ResampleFilter::kNearest || out_w == in_w ||
      !((in_h - out_h) <= 0 || (in_h - out_h) <= (in_w - out_w) * 2) || in_w < 1 || in_h < 1 || out_w < 1 ||
      out_h < 1) {
    return FailedPreconditionError("resize cannot stream rows");
  }
  StreamingResizer r;
  r.mode_ = mode;
  r.in_w_ = in_w;
  r.in_h_ = in_h;
  r.out_w_ = out_w;
  r.out_h_ = out_h;
  ASSIGN_OR_RETURN(r.horizontal_, ComputeResampleCoeffs(in_w, out_w, filter));
  ExpandForChannels(r.horizontal_, ImageModeChannels(mode));
  ASSIGN_OR_RETURN(r.vertical_, ComputeResampleCoeffs(in_h, out_h, filter));
  r.row0_ = r.vertical_.first[0];
  r.row1_ = r.vertical_.first[static_cast<size_t>(out_h) - 1] + r.vertical_.count[static_cast<size_t>(out_h) - 1];
  r.band_.resize(static_cast<size_t>(out_w) * static_cast<size_t>(ImageModeChannels(mode)) *
                 static_cast<size_t>(r.row1_ - r.row0_));
  return r;
}

void StreamingResizer::ConsumeRows(const uint8_t* rows, int first_row, int count) {
  const int lo = std::max(first_row, row0_), hi = std::min(first_row + count, row1_);
  if (hi <= lo) return;
  const int ch = ImageModeChannels(mode_);
  const size_t out_row = static_cast<size_t>(out_w_) * static_cast<size_t>(ch);
  HorizontalPass8(ch, rows, in_w_, lo - first_row, hi - lo, horizontal_,
                  band_.data() + static_cast<size_t>(lo - row0_) * out_row);
}

StatusOr<Image> StreamingResizer::Finish() {
  Image out;
  out.mode = mode_;
  out.width = out_w_;
  out.height = out_h_;
  const size_t out_row = static_cast<size_t>(out_w_) * static_cast<size_t>(ImageModeChannels(mode_));
  if (out_h_ == in_h_) {
    out.pixels = std::move(band_);
    return out;
  }
  out.pixels.resize(out_row * static_cast<size_t>(out_h_));
  VerticalPass8(band_.data(), out_row, row0_, vertical_, out.pixels.data());
  return out;
}

StatusOr<Image> PillowResize(const Image& in, int out_w, int out_h, ResampleFilter filter) {
  if (in.width == out_w && in.height == out_h) return in;
  if (in.mode == ImageMode::k1 || in.mode == ImageMode::kP) filter = ResampleFilter::kNearest;
  if ((in.mode == ImageMode::kRGBA || in.mode == ImageMode::kLA) && filter != ResampleFilter::kNearest) {
    Image pre = in;
    PremultiplyAlpha(pre);
    ASSIGN_OR_RETURN(Image out, ResampleSamples(pre, out_w, out_h, filter));
    UnpremultiplyAlpha(out);
    return out;
  }
  return ResampleSamples(in, out_w, out_h, filter);
}

}  // namespace cliprt::image
