#include "image/preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "image/convert.h"
#include "image/resize.h"

namespace cliprt::image {
namespace {

// Python's round() on a double: half to even. nearbyint uses the current
// rounding mode, which is round-to-nearest-even unless a host changed it, so
// do it explicitly.
int64_t RoundHalfEven(double v) {
  const double f = std::floor(v);
  const double diff = v - f;
  if (diff > 0.5) return static_cast<int64_t>(f) + 1;
  if (diff < 0.5) return static_cast<int64_t>(f);
  const int64_t fi = static_cast<int64_t>(f);
  return (fi % 2 == 0) ? fi : fi + 1;
}

// Python floor division.
int FloorDiv(int a, int b) {
  int q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Copies the window [top, top+h) x [left, left+w) of `in` into a new image,
// filling pixels outside `in` with `fill` (per channel bytes).
Image CropWithFill(const Image& in, int top, int left, int h, int w, const std::array<uint8_t, 4>& fill) {
  Image out;
  out.mode = in.mode;
  out.width = w;
  out.height = h;
  out.palette = in.palette;
  const bool is16 = in.mode == ImageMode::kI16;
  const int ch = in.channels();
  if (is16) {
    out.pixels16.assign(static_cast<size_t>(w) * static_cast<size_t>(h), fill[0]);
  } else {
    out.pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * static_cast<size_t>(ch));
    for (size_t i = 0; i < out.pixels.size(); i += static_cast<size_t>(ch)) {
      for (int c = 0; c < ch; ++c) out.pixels[i + static_cast<size_t>(c)] = fill[static_cast<size_t>(c)];
    }
  }
  const int x0 = std::max(0, left), x1 = std::min(in.width, left + w);
  if (x1 <= x0) return out;
  for (int y = std::max(0, top); y < std::min(in.height, top + h); ++y) {
    const size_t oy = static_cast<size_t>(y - top);
    if (is16) {
      std::memcpy(&out.pixels16[oy * static_cast<size_t>(w) + static_cast<size_t>(x0 - left)],
                  &in.pixels16[static_cast<size_t>(y) * static_cast<size_t>(in.width) + static_cast<size_t>(x0)],
                  static_cast<size_t>(x1 - x0) * 2);
    } else {
      std::memcpy(&out.pixels[(oy * static_cast<size_t>(w) + static_cast<size_t>(x0 - left)) * static_cast<size_t>(ch)],
                  &in.pixels[(static_cast<size_t>(y) * static_cast<size_t>(in.width) + static_cast<size_t>(x0)) *
                             static_cast<size_t>(ch)],
                  static_cast<size_t>(x1 - x0) * static_cast<size_t>(ch));
    }
  }
  return out;
}

// torchvision pads PIL images with `fill` in every band, except "P" images,
// whose fill is a palette index, and "1" images (nonzero = white).
std::array<uint8_t, 4> FillBytes(const Image& img, int fill) {
  const uint8_t f = static_cast<uint8_t>(std::clamp(fill, 0, 255));
  // Mode "1" stores the fill as given, and any nonzero value reads as white.
  if (img.mode == ImageMode::k1) return {uint8_t(f ? 255 : 0), 0, 0, 0};
  if (img.mode == ImageMode::kP) {
    const size_t i = static_cast<size_t>(f) * 3;
    if (i + 2 < img.palette.size()) return {img.palette[i], img.palette[i + 1], img.palette[i + 2], 255};
  }
  return {f, f, f, f};
}

// torchvision.transforms.functional.center_crop on a PIL image (pads with 0
// first when the crop is larger), with an explicit fill for open_clip's
// CenterCropOrPad.
Image TorchvisionCenterCrop(const Image& in, int ch, int cw, int fill, int* top_out, int* left_out) {
  int top_pad = 0, left_pad = 0, H = in.height, W = in.width;
  if (cw > W || ch > H) {
    left_pad = cw > W ? (cw - W) / 2 : 0;
    top_pad = ch > H ? (ch - H) / 2 : 0;
    W = std::max(W, cw);
    H = std::max(H, ch);
  }
  const int top = static_cast<int>(RoundHalfEven((H - ch) / 2.0));
  const int left = static_cast<int>(RoundHalfEven((W - cw) / 2.0));
  *top_out = top - top_pad;
  *left_out = left - left_pad;
  return CropWithFill(in, top - top_pad, left - left_pad, ch, cw, FillBytes(in, fill));
}

// transformers image_transforms.center_crop (numpy), zero padding.
Image HfCenterCrop(const Image& in, int ch, int cw, int* top_out, int* left_out) {
  int top = FloorDiv(in.height - ch, 2);
  int left = FloorDiv(in.width - cw, 2);
  if (!(top >= 0 && top + ch <= in.height && left >= 0 && left + cw <= in.width)) {
    const int new_h = std::max(ch, in.height), new_w = std::max(cw, in.width);
    const int top_pad = (new_h - in.height + 1) / 2;  // ceil
    const int left_pad = (new_w - in.width + 1) / 2;
    top += top_pad;
    left += left_pad;
    // Window in padded coordinates, clipped to the padded image.
    const int t = std::max(0, top), b = std::min(new_h, top + ch);
    const int l = std::max(0, left), r = std::min(new_w, left + cw);
    *top_out = t - top_pad;
    *left_out = l - left_pad;
    return CropWithFill(in, t - top_pad, l - left_pad, b - t, r - l, {0, 0, 0, 0});
  }
  *top_out = top;
  *left_out = left;
  return CropWithFill(in, top, left, ch, cw, {0, 0, 0, 0});
}

std::string FormatFloats(const std::array<float, 3>& v) {
  std::ostringstream s;
  s.precision(9);
  s << v[0] << "," << v[1] << "," << v[2];
  return s.str();
}

}  // namespace

std::string_view ResizeModeName(ResizeMode mode) {
  switch (mode) {
    case ResizeMode::kShortest: return "shortest";
    case ResizeMode::kLongest: return "longest";
    case ResizeMode::kSquash: return "squash";
  }
  return "?";
}

StatusOr<ResizeMode> ResizeModeFromName(std::string_view name) {
  if (name == "shortest") return ResizeMode::kShortest;
  if (name == "longest") return ResizeMode::kLongest;
  if (name == "squash") return ResizeMode::kSquash;
  return UnsupportedError("unknown resize_mode '" + std::string(name) + "' (expected shortest, longest or squash)");
}

void ShortestEdgeSize(int width, int height, int target, int64_t* out_w, int64_t* out_h) {
  const int short_side = std::min(width, height), long_side = std::max(width, height);
  const int64_t new_long = static_cast<int64_t>(static_cast<double>(int64_t{target} * long_side) / short_side);
  if (width <= height) {
    *out_w = target;
    *out_h = new_long;
  } else {
    *out_w = new_long;
    *out_h = target;
  }
}

void KeepRatioSize(int width, int height, int target_h, int target_w, bool longest, int64_t* out_w,
                   int64_t* out_h) {
  const double ratio_h = static_cast<double>(height) / target_h;
  const double ratio_w = static_cast<double>(width) / target_w;
  const double l = longest ? 1.0 : 0.0;
  const double ratio = std::max(ratio_h, ratio_w) * l + std::min(ratio_h, ratio_w) * (1.0 - l);
  *out_h = RoundHalfEven(height * 1.0 / ratio);
  *out_w = RoundHalfEven(width * 1.0 / ratio);
}

PreprocessConfig OpenAIPreset(int n_px) {
  PreprocessConfig c;
  c.preset = "openai";
  c.out_height = c.out_width = c.shortest_edge = n_px;
  return c;
}

StatusOr<PreprocessConfig> OpenClipPreset(const OpenClipPreprocessFields& f) {
  PreprocessConfig c;
  c.preset = "open_clip";
  if (f.image_size.size() == 1) {
    c.out_height = c.out_width = f.image_size[0];
  } else if (f.image_size.size() == 2) {
    c.out_height = f.image_size[0];
    c.out_width = f.image_size[1];
  } else if (!f.image_size.empty()) {
    return InvalidArgumentError("open_clip image_size must have 1 or 2 values, got " +
                                std::to_string(f.image_size.size()));
  }
  if (c.out_height <= 0 || c.out_width <= 0 || c.out_height > 16384 || c.out_width > 16384) {
    return InvalidArgumentError("open_clip image_size out of range");
  }
  c.shortest_edge = c.out_height;
  if (f.mean) for (int i = 0; i < 3; ++i) c.mean[static_cast<size_t>(i)] = static_cast<float>((*f.mean)[static_cast<size_t>(i)]);
  if (f.std) for (int i = 0; i < 3; ++i) c.std[static_cast<size_t>(i)] = static_cast<float>((*f.std)[static_cast<size_t>(i)]);
  if (f.interpolation && *f.interpolation != "random") {
    if (*f.interpolation != "bicubic" && *f.interpolation != "bilinear") {
      return UnsupportedError("open_clip interpolation '" + *f.interpolation + "' (expected bicubic or bilinear)");
    }
    ASSIGN_OR_RETURN(c.interpolation, ResampleFilterFromName(*f.interpolation));
  }
  if (f.resize_mode) { ASSIGN_OR_RETURN(c.resize_mode, ResizeModeFromName(*f.resize_mode)); }
  if (f.fill_color) c.fill_color = *f.fill_color;
  c.do_center_crop = c.resize_mode != ResizeMode::kSquash;
  return c;
}

StatusOr<PreprocessConfig> HfImageProcessorPreset(const HfImageProcessorFields& f) {
  const std::string& t = f.image_processor_type;
  const bool siglip = t.rfind("Siglip", 0) == 0;
  const bool clip = t.rfind("CLIP", 0) == 0;
  if (!siglip && !clip) {
    return UnsupportedError("image_processor_type '" + t + "' (expected CLIPImageProcessor or SiglipImageProcessor)");
  }
  PreprocessConfig c;
  c.preset = siglip ? "hf_siglip" : "hf_clip";
  c.crop_rule = CropRule::kHfFloor;
  c.rgb_conversion = RgbConversion::kBeforeResize;
  c.rescale = Rescale::kHfFloat64;
  if (siglip) {
    // SiglipImageProcessorPil (transformers 5.24): squash to size, no crop,
    // IMAGENET_STANDARD mean/std 0.5, do_convert_rgb True.
    c.resize_mode = ResizeMode::kSquash;
    c.do_center_crop = false;
    c.mean = c.std = {0.5f, 0.5f, 0.5f};
    if (f.size_int || f.size_shortest_edge) {
      return UnsupportedError("SiglipImageProcessor with a shortest-edge size: output size would depend on the image");
    }
    if (f.size_height) c.out_height = *f.size_height;
    if (f.size_width) c.out_width = *f.size_width;
    if (f.do_center_crop && *f.do_center_crop) {
      return UnsupportedError("SiglipImageProcessor with do_center_crop=true");
    }
  } else {
    c.resize_mode = ResizeMode::kShortest;
    if (f.size_height || f.size_width) {
      if (!f.size_height || !f.size_width) return InvalidArgumentError("HF size needs both height and width");
      c.resize_mode = ResizeMode::kSquash;  // resize to (h, w), then crop as configured
      c.out_height = *f.size_height;
      c.out_width = *f.size_width;
    }
    if (f.size_int) c.shortest_edge = *f.size_int;
    if (f.size_shortest_edge) c.shortest_edge = *f.size_shortest_edge;
    if (f.crop_size_int) c.out_height = c.out_width = *f.crop_size_int;
    if (f.crop_height) c.out_height = *f.crop_height;
    if (f.crop_width) c.out_width = *f.crop_width;
    if (f.do_center_crop) c.do_center_crop = *f.do_center_crop;
    if (!c.do_center_crop && c.resize_mode == ResizeMode::kShortest) {
      return UnsupportedError("CLIPImageProcessor without center crop: output size would depend on the image");
    }
  }
  if (f.resample) { ASSIGN_OR_RETURN(c.interpolation, ResampleFilterFromInt(*f.resample)); }
  if (f.do_resize) c.do_resize = *f.do_resize;
  if (f.do_normalize) c.do_normalize = *f.do_normalize;
  if (f.do_rescale && !*f.do_rescale) c.rescale_factor = 1.0;
  if (f.rescale_factor && (!f.do_rescale || *f.do_rescale)) c.rescale_factor = *f.rescale_factor;
  if (f.do_convert_rgb && !*f.do_convert_rgb) {
    return UnsupportedError("do_convert_rgb=false: non-RGB inputs would not give a 3-channel tensor");
  }
  if (f.image_mean) for (int i = 0; i < 3; ++i) c.mean[static_cast<size_t>(i)] = static_cast<float>((*f.image_mean)[static_cast<size_t>(i)]);
  if (f.image_std) for (int i = 0; i < 3; ++i) c.std[static_cast<size_t>(i)] = static_cast<float>((*f.image_std)[static_cast<size_t>(i)]);
  if (c.out_height <= 0 || c.out_width <= 0 || c.shortest_edge <= 0 || c.out_height > 16384 ||
      c.out_width > 16384 || c.shortest_edge > 16384) {
    return InvalidArgumentError("HF image processor size out of range");
  }
  if (!c.do_resize && !c.do_center_crop) {
    return UnsupportedError("HF image processor with neither resize nor crop: output size would depend on the image");
  }
  return c;
}

std::string PreprocessRecord::ToString() const {
  std::ostringstream s;
  s << "preset=" << config.preset << " size=" << config.out_height << "x" << config.out_width
    << " resize=" << ResizeModeName(config.resize_mode);
  if (config.resize_mode == ResizeMode::kShortest) s << ":" << config.shortest_edge;
  s << " interpolation=" << ResampleFilterName(config.interpolation)
    << " crop=" << (config.do_center_crop ? (config.crop_rule == CropRule::kTorchvision ? "center_half_even" : "center_floor") : "none")
    << " fill=" << config.fill_color
    << " rgb=" << (config.rgb_conversion == RgbConversion::kAfterResize ? "after_resize" : "before_resize")
    << " rescale=" << (config.rescale == Rescale::kTorchvision ? "f32_div_255" : "f64_mul") 
    << " mean=" << FormatFloats(config.mean) << " std=" << FormatFloats(config.std)
    << " exif=" << (config.apply_exif_orientation ? "applied" : "ignored")
    << " source=" << source_width << "x" << source_height << ":" << source_mode
    << " resized=" << resized_width << "x" << resized_height << " crop_at=" << crop_top << "," << crop_left;
  return s.str();
}

StatusOr<Image> PreprocessToRGB(const Image& src, const PreprocessConfig& c, PreprocessRecord* record) {
  if (src.empty()) return InvalidArgumentError("cannot preprocess an empty image");
  if (c.out_height <= 0 || c.out_width <= 0 || c.out_height > 16384 || c.out_width > 16384) {
    return InvalidArgumentError("preprocess output size " + std::to_string(c.out_height) + "x" +
                                std::to_string(c.out_width) + " is not within 1..16384");
  }
  PreprocessRecord local;
  PreprocessRecord& rec = record ? *record : local;
  rec.config = c;
  rec.source_width = src.width;
  rec.source_height = src.height;
  rec.source_mode = std::string(ImageModeName(src.mode));
  rec.converted_before_resize = c.rgb_conversion == RgbConversion::kBeforeResize;

  // `cur` points at the latest stage; the (possibly huge) source is never copied.
  const Image* cur = &src;
  Image img;
  if (rec.converted_before_resize && (src.mode != ImageMode::kRGB || src.transparency)) {
    img = ConvertToRGBOverWhite(src);
    cur = &img;
  }
  if (c.do_resize) {
    int w = 0, h = 0;
    RETURN_IF_ERROR(PreprocessResizeTarget(cur->width, cur->height, c, &w, &h));
    if (w != cur->width || h != cur->height) {
      ASSIGN_OR_RETURN(img, PillowResize(*cur, w, h, c.interpolation));
      cur = &img;
    }
  }
  if (cur == &src) img = src;  // no resize happened: the crop below needs an owned image
  return PreprocessFinishResized(std::move(img), c, rec);
}

Status PreprocessResizeTarget(int width, int height, const PreprocessConfig& c, int* out_w, int* out_h) {
  int64_t w = width, h = height;
  switch (c.resize_mode) {
    case ResizeMode::kShortest:
      if (c.crop_rule == CropRule::kTorchvision && c.out_height != c.out_width) {
        KeepRatioSize(width, height, c.out_height, c.out_width, false, &w, &h);
      } else {
        ShortestEdgeSize(width, height, c.shortest_edge, &w, &h);
      }
      break;
    case ResizeMode::kLongest:
      KeepRatioSize(width, height, c.out_height, c.out_width, true, &w, &h);
      break;
    case ResizeMode::kSquash:
      w = c.out_width;
      h = c.out_height;
      break;
  }
  if (w < 1 || h < 1) {
    return InvalidArgumentError("image of " + std::to_string(width) + "x" + std::to_string(height) +
                                " resizes to an empty " + std::to_string(w) + "x" + std::to_string(h));
  }
  if (w > (int64_t{1} << 30) || h > (int64_t{1} << 30) || w * h > c.max_resized_pixels) {
    return ResourceExhaustedError("image of " + std::to_string(width) + "x" + std::to_string(height) +
                                  " would be resized to " + std::to_string(w) + "x" + std::to_string(h) +
                                  ", more than max_resized_pixels = " + std::to_string(c.max_resized_pixels));
  }
  *out_w = static_cast<int>(w);
  *out_h = static_cast<int>(h);
  return Status::Ok();
}

StatusOr<Image> PreprocessFinishResized(Image img, const PreprocessConfig& c, PreprocessRecord& rec) {
  rec.resized_width = img.width;
  rec.resized_height = img.height;
  if (c.do_center_crop || img.width != c.out_width || img.height != c.out_height) {
    if (c.crop_rule == CropRule::kTorchvision) {
      const int fill = c.resize_mode == ResizeMode::kLongest ? c.fill_color : 0;
      img = TorchvisionCenterCrop(img, c.out_height, c.out_width, fill, &rec.crop_top, &rec.crop_left);
    } else {
      img = HfCenterCrop(img, c.out_height, c.out_width, &rec.crop_top, &rec.crop_left);
    }
  }
  // HF converts before resizing; images reaching here unconverted in that
  // order have no alpha (L from the streaming JPEG path), for which
  // conversion commutes with resize and crop.
  if (img.mode != ImageMode::kRGB) img = ConvertToRGB(img);
  if (img.width != c.out_width || img.height != c.out_height) {
    return InternalError("preprocess produced " + std::to_string(img.width) + "x" + std::to_string(img.height));
  }
  return img;
}

Status NormalizeInto(const Image& rgb, const PreprocessConfig& c, float* out) {
  // Each output value depends only on (channel, byte): a 256-entry table per
  // channel computed with the reference's exact float operations.
  float lut[3][256];
  for (int ch = 0; ch < 3; ++ch) {
    for (int v = 0; v < 256; ++v) {
      float x;
      if (c.rescale == Rescale::kTorchvision) {
        x = static_cast<float>(v) / 255.0f;
      } else {
        x = static_cast<float>(static_cast<double>(v) * c.rescale_factor);
      }
      if (c.do_normalize) x = (x - c.mean[static_cast<size_t>(ch)]) / c.std[static_cast<size_t>(ch)];
      lut[ch][v] = x;
    }
  }
  const size_t plane = static_cast<size_t>(rgb.width) * static_cast<size_t>(rgb.height);
  const uint8_t* p = rgb.pixels.data();
  float* r = out;
  float* g = out + plane;
  float* b = out + 2 * plane;
  for (size_t i = 0; i < plane; ++i) {
    r[i] = lut[0][p[3 * i]];
    g[i] = lut[1][p[3 * i + 1]];
    b[i] = lut[2][p[3 * i + 2]];
  }
  return Status::Ok();
}

Status PreprocessInto(const Image& src, const PreprocessConfig& c, float* out, size_t out_floats,
                      PreprocessRecord* record) {
  if (out == nullptr) return InvalidArgumentError("preprocess output buffer is null");
  const size_t plane = static_cast<size_t>(c.out_height) * static_cast<size_t>(c.out_width);
  if (out_floats < 3 * plane) {
    return InvalidArgumentError("preprocess output buffer holds " + std::to_string(out_floats) + " floats, needs " +
                                std::to_string(3 * plane));
  }
  ASSIGN_OR_RETURN(Image rgb, PreprocessToRGB(src, c, record));
  return NormalizeInto(rgb, c, out);
}

StatusOr<Tensor> Preprocess(const Image& img, const PreprocessConfig& c, PreprocessRecord* record) {
  ASSIGN_OR_RETURN(Tensor t, Tensor::Empty(DType::kF32, Shape{3, c.out_height, c.out_width}));
  RETURN_IF_ERROR(PreprocessInto(img, c, t.data_as<float>(), static_cast<size_t>(t.numel()), record));
  return t;
}

}  // namespace cliprt::image
