#include "image/decode.h"

#include <climits>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <stb/stb_image.h>

#include "image/bmp_palette_decoder.h"
#include "image/gif_decoder.h"
#include "image/jpeg_decoder.h"
#include "image/orientation.h"
#include "image/png_header.h"

namespace cliprt::image {
namespace {

ImageFormat DetectFormat(const uint8_t* d, size_t n) {
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return ImageFormat::kJpeg;
  if (n >= 8 && std::memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return ImageFormat::kPng;
  if (n >= 6 && (std::memcmp(d, "GIF87a", 6) == 0 || std::memcmp(d, "GIF89a", 6) == 0)) return ImageFormat::kGif;
  if (n >= 2 && d[0] == 'B' && d[1] == 'M') return ImageFormat::kBmp;
  if (n >= 4 && std::memcmp(d, "8BPS", 4) == 0) return ImageFormat::kPsd;
  if (n >= 2 && d[0] == '#' && d[1] == '?') return ImageFormat::kHdr;
  if (n >= 2 && d[0] == 'P' && (d[1] == '5' || d[1] == '6')) return ImageFormat::kPnm;
  return ImageFormat::kUnknown;  // TGA has no signature: stb decides below
}

ImageMode ModeForComponents(int comp) {
  switch (comp) {
    case 1: return ImageMode::kL;
    case 2: return ImageMode::kLA;
    case 4: return ImageMode::kRGBA;
    default: return ImageMode::kRGB;
  }
}

std::string StbReason() {
  const char* r = stbi_failure_reason();
  return r ? r : "unknown error";
}

struct StbFree {
  void operator()(void* p) const { stbi_image_free(p); }
};

Status CheckLimit(const ImageInfo& info, int64_t max_pixels) {
  if (info.width <= 0 || info.height <= 0) {
    return CorruptDataError(std::string(ImageFormatName(info.format)) + ": image size " +
                            std::to_string(info.width) + "x" + std::to_string(info.height) + " is empty");
  }
  // Division, not multiplication: PNG sizes go up to 2^32 - 1 per side.
  if (info.width > max_pixels / info.height) {
    return ResourceExhaustedError(std::string(ImageFormatName(info.format)) + " of " +
                                  std::to_string(info.width) + "x" + std::to_string(info.height) +
                                  " pixels exceeds the limit of " + std::to_string(max_pixels) +
                                  " pixels (decompression bomb?)");
  }
  return Status::Ok();
}

// stb_image reads uncompressed TGA pixel data with stbi__getn and does not
// notice a short file: the tail of its buffer stays uninitialized. Refuse
// such files up front (RLE data is read byte-wise and ends in zeros).
Status CheckTgaLength(const uint8_t* d, size_t n, int64_t w, int64_t h) {
  if (n < 18) return CorruptDataError("TGA: header truncated");
  const int id_len = d[0], cmap_type = d[1], type = d[2];
  const int64_t cmap_len = d[5] | (d[6] << 8);
  const int cmap_bits = d[7], bits = d[16];
  if (type != 1 && type != 2 && type != 3) return Status::Ok();
  const int64_t cmap_bytes = cmap_type ? cmap_len * ((cmap_bits + 7) / 8) : 0;
  const int64_t need = 18 + id_len + cmap_bytes + w * h * ((bits + 7) / 8);
  if (static_cast<int64_t>(n) < need) {
    return CorruptDataError("TGA: pixel data truncated (" + std::to_string(n) + " bytes, needs " +
                            std::to_string(need) + ")");
  }
  return Status::Ok();
}

// Same for binary PNM (P5/P6): stb_image does not check the data length.
Status CheckPnmLength(const uint8_t* d, size_t n, int64_t w, int64_t h) {
  size_t pos = 2;
  int64_t values[3] = {0, 0, 0};  // width, height, maxval
  for (int v = 0; v < 3; ++v) {
    while (pos < n && (d[pos] == ' ' || d[pos] == '\t' || d[pos] == '\n' || d[pos] == '\r' || d[pos] == '#')) {
      if (d[pos] == '#') {
        while (pos < n && d[pos] != '\n' && d[pos] != '\r') ++pos;
      } else {
        ++pos;
      }
    }
    while (pos < n && d[pos] >= '0' && d[pos] <= '9' && values[v] < (int64_t{1} << 32)) {
      values[v] = values[v] * 10 + (d[pos] - '0');
      ++pos;
    }
  }
  ++pos;  // the single whitespace byte before the raster
  const int64_t channels = d[1] == '6' ? 3 : 1;
  const int64_t need = w * h * channels * (values[2] > 255 ? 2 : 1);
  if (pos > n || static_cast<int64_t>(n - pos) < need) {
    return CorruptDataError("PNM: pixel data truncated (needs " + std::to_string(need) + " bytes after the header)");
  }
  return Status::Ok();
}

}  // namespace

std::string_view ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "JPEG";
    case ImageFormat::kPng: return "PNG";
    case ImageFormat::kGif: return "GIF";
    case ImageFormat::kBmp: return "BMP";
    case ImageFormat::kPsd: return "PSD";
    case ImageFormat::kHdr: return "HDR";
    case ImageFormat::kPnm: return "PNM";
    case ImageFormat::kTga: return "TGA";
    case ImageFormat::kUnknown: break;
  }
  return "unknown format";
}

StatusOr<ImageInfo> ProbeImage(const uint8_t* data, size_t size) {
  if (data == nullptr || size == 0) return InvalidArgumentError("image data is empty");
  if (size > static_cast<size_t>(INT_MAX)) {
    return ResourceExhaustedError("image data of " + std::to_string(size) + " bytes exceeds 2 GiB");
  }
  ImageInfo info;
  info.format = DetectFormat(data, size);
  if (info.format == ImageFormat::kJpeg) {
    ASSIGN_OR_RETURN(JpegHeader h, ReadJpegHeader(data, size));
    info.width = h.width;
    info.height = h.height;
    info.exif_orientation = h.orientation;
    info.mode = h.components == 1 ? ImageMode::kL : (h.components == 4 ? ImageMode::kCMYK : ImageMode::kRGB);
    if (h.components != 1 && h.components != 3 && h.components != 4) {
      return UnsupportedError("JPEG with " + std::to_string(h.components) + " components");
    }
    return info;
  }
  if (info.format == ImageFormat::kPng) {
    ASSIGN_OR_RETURN(PngHeader h, ReadPngHeader(data, size));
    info.width = h.width;
    info.height = h.height;
    info.mode = h.mode;
    return info;
  }
  if (info.format == ImageFormat::kGif) {
    ASSIGN_OR_RETURN(GifHeader g, ReadGifHeader(data, size));
    info.width = g.width;
    info.height = g.height;
    info.mode = ImageMode::kP;  // "L" when the palette is absent or a gray ramp
    return info;
  }
  int w = 0, h = 0, comp = 0;
  if (!stbi_info_from_memory(data, static_cast<int>(size), &w, &h, &comp)) {
    if (info.format == ImageFormat::kUnknown) {
      return UnsupportedError("unrecognized image format (first bytes are not JPEG, PNG, GIF, BMP, PSD, HDR, "
                              "PNM or a valid TGA header)");
    }
    return CorruptDataError(std::string(ImageFormatName(info.format)) + " header: " + StbReason());
  }
  if (info.format == ImageFormat::kUnknown) info.format = ImageFormat::kTga;
  info.width = w;
  info.height = h;
  switch (info.format) {
    case ImageFormat::kBmp:
      if (IsPaletteBmp(data, size)) {
        ASSIGN_OR_RETURN(info.mode, PaletteBmpMode(data, size));
      } else {
        info.mode = comp == 4 ? ImageMode::kRGBA : ImageMode::kRGB;
      }
      break;
    case ImageFormat::kHdr: info.mode = ImageMode::kRGB; break;
    default: info.mode = ModeForComponents(comp); break;
  }
  return info;
}

StatusOr<Image> DecodeImage(const uint8_t* data, size_t size, const DecodeOptions& options) {
  ASSIGN_OR_RETURN(ImageInfo info, ProbeImage(data, size));
  RETURN_IF_ERROR(CheckLimit(info, options.max_pixels));
  Image img;
  if (info.format == ImageFormat::kJpeg) {
    ASSIGN_OR_RETURN(img, DecodeJpeg(data, size, options.max_pixels));
    if (options.apply_exif_orientation) img = ApplyExifOrientation(img, info.exif_orientation);
    return img;
  }
  if (info.format == ImageFormat::kGif) return DecodeGif(data, size, options.max_pixels);
  if (info.format == ImageFormat::kBmp && IsPaletteBmp(data, size)) {
    return DecodePaletteBmp(data, size, options.max_pixels);
  }
  if (info.format == ImageFormat::kTga) RETURN_IF_ERROR(CheckTgaLength(data, size, info.width, info.height));
  if (info.format == ImageFormat::kPnm) RETURN_IF_ERROR(CheckPnmLength(data, size, info.width, info.height));
  const int len = static_cast<int>(size);
  int w = 0, h = 0, comp = 0;
  if (info.mode == ImageMode::kI16) {
    std::unique_ptr<stbi_us, StbFree> px(stbi_load_16_from_memory(data, len, &w, &h, &comp, 1));
    if (!px) return CorruptDataError("PNG (16-bit gray): " + StbReason());
    ASSIGN_OR_RETURN(img, AllocateImage(ImageMode::kI16, w, h, options.max_pixels));
    std::memcpy(img.pixels16.data(), px.get(), img.pixels16.size() * sizeof(uint16_t));
    return img;
  }
  // "P" is stored palette-expanded RGBA; "1" as 0/255 gray.
  const int want = ImageModeChannels(info.mode);
  std::vector<uint8_t> patched;
  PngHeader png;
  if (info.format == ImageFormat::kPng) {
    ASSIGN_OR_RETURN(png, ReadPngHeader(data, size));
    patched = PngWithFullPalette(data, size, png);
  }
  const uint8_t* stb_data = patched.empty() ? data : patched.data();
  const int stb_len = patched.empty() ? len : static_cast<int>(patched.size());
  std::unique_ptr<stbi_uc, StbFree> px(stbi_load_from_memory(stb_data, stb_len, &w, &h, &comp, want));
  if (!px) return CorruptDataError(std::string(ImageFormatName(info.format)) + ": " + StbReason());
  if (w != info.width || h != info.height) {
    return CorruptDataError(std::string(ImageFormatName(info.format)) + ": decoded size differs from header");
  }
  ASSIGN_OR_RETURN(img, AllocateImage(info.mode, w, h, options.max_pixels));
  std::memcpy(img.pixels.data(), px.get(), img.pixels.size());
  if (info.format == ImageFormat::kPng && info.mode == ImageMode::kP) {
    img.palette = std::move(png.palette);
    img.transparency = png.has_trns;
  }
  if (info.format == ImageFormat::kPng && (info.mode == ImageMode::kL || info.mode == ImageMode::kRGB) &&
      png.trns_key[0] >= 0) {
    img.transparency = true;
    for (int c = 0; c < 3; ++c) img.transparent_key[c] = png.trns_key[c];
  }
  return img;
}

StatusOr<Image> DecodeImageFile(const std::string& path, const DecodeOptions& options) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return IoError("cannot open image file '" + path + "'");
  const std::streamoff end = in.tellg();
  if (end < 0) return IoError("cannot read image file '" + path + "'");
  if (end > INT_MAX) return ResourceExhaustedError("image file '" + path + "' is larger than 2 GiB");
  std::vector<uint8_t> bytes(static_cast<size_t>(end));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), end)) return IoError("short read on '" + path + "'");
  StatusOr<Image> img = DecodeImage(bytes.data(), bytes.size(), options);
  if (!img.ok()) return img.status().WithContext(path);
  return img;
}

}  // namespace cliprt::image
