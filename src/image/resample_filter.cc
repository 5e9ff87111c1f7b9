// Built with -ffp-contract=off (src/image/CMakeLists.txt): the filter
// polynomials must round exactly like Pillow's non-FMA build.
#include "image/resample_filter.h"

#include <climits>
#include <cmath>
#include <string>

namespace cliprt::image {
namespace {

double BoxFilter(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }

double BilinearFilter(double x) {
  if (x < 0.0) x = -x;
  return x < 1.0 ? 1.0 - x : 0.0;
}

double HammingFilter(double x) {
  if (x < 0.0) x = -x;
  if (x == 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  x = x * M_PI;
  // Pillow writes the constants as floats (0.54f, 0.46f); keep that.
  return std::sin(x) / x * (0.54f + 0.46f * std::cos(x));
}

double BicubicFilter(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double SincFilter(double x) {
  if (x == 0.0) return 1.0;
  x = x * M_PI;
  return std::sin(x) / x;
}

double LanczosFilter(double x) {
  if (-3.0 <= x && x < 3.0) return SincFilter(x) * SincFilter(x / 3);
  return 0.0;
}

struct FilterDef {
  double (*fn)(double);
  double support;
};

FilterDef FilterFor(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::kBox: return {BoxFilter, 0.5};
    case ResampleFilter::kBilinear: return {BilinearFilter, 1.0};
    case ResampleFilter::kHamming: return {HammingFilter, 1.0};
    case ResampleFilter::kLanczos: return {LanczosFilter, 3.0};
    case ResampleFilter::kBicubic:
    case ResampleFilter::kNearest: break;
  }
  return {BicubicFilter, 2.0};
}

}  // namespace

std::string_view ResampleFilterName(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::kNearest: return "nearest";
    case ResampleFilter::kLanczos: return "lanczos";
    case ResampleFilter::kBilinear: return "bilinear";
    case ResampleFilter::kBicubic: return "bicubic";
    case ResampleFilter::kBox: return "box";
    case ResampleFilter::kHamming: return "hamming";
  }
  return "?";
}

StatusOr<ResampleFilter> ResampleFilterFromInt(int value) {
  if (value < 0 || value > 5) {
    return UnsupportedError("resample filter " + std::to_string(value) +
                            " is not one of Pillow's NEAREST(0) LANCZOS(1) BILINEAR(2) BICUBIC(3) BOX(4) "
                            "HAMMING(5)");
  }
  return static_cast<ResampleFilter>(value);
}

StatusOr<ResampleFilter> ResampleFilterFromName(std::string_view name) {
  for (int i = 0; i <= 5; ++i) {
    if (ResampleFilterName(static_cast<ResampleFilter>(i)) == name) return static_cast<ResampleFilter>(i);
  }
  return UnsupportedError("unknown interpolation '" + std::string(name) +
                          "' (expected nearest, bilinear, bicubic, lanczos, box or hamming)");
}

StatusOr<ResampleCoeffs> ComputeResampleCoeffs(int in_size, int out_size, ResampleFilter filter) {
  if (in_size <= 0 || out_size <= 0) {
    return InvalidArgumentError("resample sizes must be positive (in " + std::to_string(in_size) + ", out " +
                                std::to_string(out_size) + ")");
  }
  const FilterDef def = FilterFor(filter);
  // Pillow passes the box edges as C floats: in1 - in0 is a float subtraction.
  const float in0 = 0.0f;
  const float in1 = static_cast<float>(in_size);
  const double scale = static_cast<double>(in1 - in0) / out_size;
  double filterscale = scale;
  if (filterscale < 1.0) filterscale = 1.0;
  const double support = def.support * filterscale;
  const double ksize_d = std::ceil(support) * 2 + 1;
  if (ksize_d > INT_MAX / 16 || out_size > INT_MAX / (static_cast<int>(ksize_d) * static_cast<int>(sizeof(double)))) {
    return ResourceExhaustedError("resample table for " + std::to_string(in_size) + " -> " +
                                  std::to_string(out_size) + " is too large");
  }
  ResampleCoeffs c;
  c.in_size = in_size;
  c.out_size = out_size;
  c.ksize = static_cast<int>(ksize_d);
  const size_t ksize = static_cast<size_t>(c.ksize);
  c.first.resize(static_cast<size_t>(out_size));
  c.count.resize(static_cast<size_t>(out_size));
  c.weights.assign(static_cast<size_t>(out_size) * ksize, 0.0);
  c.fixed.assign(static_cast<size_t>(out_size) * ksize, 0);

  const double inv_filterscale = 1.0 / filterscale;
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = in0 + (xx + 0.5) * scale;
    double ww = 0.0;
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double* k = &c.weights[static_cast<size_t>(xx) * ksize];
    for (int x = 0; x < xmax; ++x) {
      const double w = def.fn((x + xmin - center + 0.5) * inv_filterscale);
      k[x] = w;
      ww += w;
    }
    if (ww != 0.0) {
      for (int x = 0; x < xmax; ++x) k[x] /= ww;
    }
    c.first[static_cast<size_t>(xx)] = xmin;
    c.count[static_cast<size_t>(xx)] = xmax;
  }
  const double one = static_cast<double>(1 << kResamplePrecisionBits);
  for (size_t i = 0; i < c.weights.size(); ++i) {
    const double w = c.weights[i];
    c.fixed[i] = w < 0 ? static_cast<int32_t>(-0.5 + w * one) : static_cast<int32_t>(0.5 + w * one);
  }
  return c;
}

}  // namespace cliprt::image
