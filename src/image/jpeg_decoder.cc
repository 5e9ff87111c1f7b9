#include "image/jpeg_decoder.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <jpeglib.h>
#include <jerror.h>

namespace cliprt::image {
namespace {

// A hostile progressive JPEG can declare thousands of scans, each a full pass
// over the coefficients; real files use fewer than ~20.
constexpr int kMaxScans = 256;

struct ErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void OnMessage(j_common_ptr, int) {}  // warnings are not printed (library never prints)

// Source manager over a memory buffer that fails on truncation instead of
// inventing an EOI marker (Pillow raises "image file is truncated").
void InitSource(j_decompress_ptr) {}
boolean FillInput(j_decompress_ptr cinfo) {
  cinfo->err->msg_code = JERR_INPUT_EOF;
  (*cinfo->err->error_exit)(reinterpret_cast<j_common_ptr>(cinfo));
  return FALSE;
}
void SkipInput(j_decompress_ptr cinfo, long num_bytes) {
  if (num_bytes <= 0) return;
  if (static_cast<size_t>(num_bytes) > cinfo->src->bytes_in_buffer) {
    FillInput(cinfo);
    return;
  }
  cinfo->src->next_input_byte += num_bytes;
  cinfo->src->bytes_in_buffer -= static_cast<size_t>(num_bytes);
}
void TermSource(j_decompress_ptr) {}

void OnProgress(j_common_ptr cinfo) {
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->is_decompressor && d->input_scan_number > kMaxScans) {
    cinfo->err->msg_code = JERR_UNKNOWN_MARKER;  // any code; message replaced below
    std::snprintf(reinterpret_cast<ErrorManager*>(cinfo->err)->message, JMSG_LENGTH_MAX,
                  "more than %d progressive scans", kMaxScans);
    std::longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 2);
  }
}

struct Decoder {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  jpeg_source_mgr src;
  jpeg_progress_mgr progress;

  Decoder() {
    std::memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = OnError;
    err.pub.emit_message = OnMessage;
    err.message[0] = '\0';
  }
};

// Points the decompressor at an in-memory buffer and installs the progress
// monitor; shared by the whole-image and the streaming decode.
void AttachMemorySource(Decoder& d, const uint8_t* data, size_t size) {
  d.src.init_source = InitSource;
  d.src.fill_input_buffer = FillInput;
  d.src.skip_input_data = SkipInput;
  d.src.resync_to_restart = jpeg_resync_to_restart;
  d.src.term_source = TermSource;
  d.src.next_input_byte = data;
  d.src.bytes_in_buffer = size;
  d.cinfo.src = &d.src;
  d.progress.progress_monitor = OnProgress;
  d.cinfo.progress = &d.progress;
}

// All libjpeg calls live here so the longjmp target frame holds no C++
// objects with destructors; `out` is owned by the caller.
bool Run(Decoder& d, const uint8_t* data, size_t size, bool header_only, int64_t max_pixels, Image* out,
         JpegHeader* header, std::string* error) {
  if (int code = setjmp(d.err.jump)) {
    if (code != 3) *error = d.err.message;
    jpeg_destroy_decompress(&d.cinfo);
    return false;
  }
  jpeg_create_decompress(&d.cinfo);
  AttachMemorySource(d, data, size);
  jpeg_read_header(&d.cinfo, TRUE);
  header->width = d.cinfo.image_width;
  header->height = d.cinfo.image_height;
  header->components = d.cinfo.num_components;
  if (header_only) {
    jpeg_destroy_decompress(&d.cinfo);
    return true;
  }
  ImageMode mode = ImageMode::kRGB;
  switch (d.cinfo.num_components) {
    case 1: mode = ImageMode::kL; d.cinfo.out_color_space = JCS_GRAYSCALE; break;
    case 3: mode = ImageMode::kRGB; d.cinfo.out_color_space = JCS_RGB; break;
    case 4: mode = ImageMode::kCMYK; d.cinfo.out_color_space = JCS_CMYK; break;
    default:
      *error = "cannot handle " + std::to_string(d.cinfo.num_components) + "-component JPEG";
      longjmp(d.err.jump, 3);
  }
  bool allocated = false;
  {
    StatusOr<Image> img = AllocateImage(mode, header->width, header->height, max_pixels);
    allocated = img.ok();
    if (allocated) *out = std::move(img).value();
    else *error = img.status().message();
  }
  if (!allocated) longjmp(d.err.jump, 3);
  jpeg_start_decompress(&d.cinfo);
  const size_t row = static_cast<size_t>(out->row_bytes());
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    JSAMPROW rowp = out->pixels.data() + static_cast<size_t>(d.cinfo.output_scanline) * row;
    jpeg_read_scanlines(&d.cinfo, &rowp, 1);
  }
  jpeg_finish_decompress(&d.cinfo);
  jpeg_destroy_decompress(&d.cinfo);
  if (mode == ImageMode::kCMYK) {
    // Pillow decodes 4-component JPEGs with rawmode "CMYK;I" (Adobe
    // convention: stored inverted) whatever the APP14 marker says.
    for (uint8_t& v : out->pixels) v = static_cast<uint8_t>(255 - v);
  }
  return true;
}

constexpr int kBandRows = 16;

// Streaming counterpart of Run(): same libjpeg settings, rows delivered in
// bands of kBandRows to `sink`. `band` and `sink_status` belong to the caller
// so no C++ object with a destructor lives in this frame across libjpeg calls.
bool RunRows(Decoder& d, const uint8_t* data, size_t size, int64_t max_pixels, std::vector<uint8_t>* band,
             ImageMode* mode, FunctionRef<Status(const uint8_t*, int, int)> sink, std::string* error,
             Status* sink_status) {
  if (int code = setjmp(d.err.jump)) {
    if (code != 3) *error = d.err.message;
    jpeg_destroy_decompress(&d.cinfo);
    return false;
  }
  jpeg_create_decompress(&d.cinfo);
  AttachMemorySource(d, data, size);
  jpeg_read_header(&d.cinfo, TRUE);
  const int64_t w = d.cinfo.image_width, h = d.cinfo.image_height;
  if (d.cinfo.num_components == 1) {
    *mode = ImageMode::kL;
    d.cinfo.out_color_space = JCS_GRAYSCALE;
  } else if (d.cinfo.num_components == 3) {
    *mode = ImageMode::kRGB;
    d.cinfo.out_color_space = JCS_RGB;
  } else {
    *error = "streaming decode supports 1- and 3-component JPEGs only";
    longjmp(d.err.jump, 3);
  }
  if (w <= 0 || h <= 0 || w * h > max_pixels) {
    *error = "JPEG of " + std::to_string(w) + "x" + std::to_string(h) + " pixels exceeds the limit of " +
             std::to_string(max_pixels) + " pixels";
    longjmp(d.err.jump, 3);
  }
  const size_t row = static_cast<size_t>(w) * static_cast<size_t>(d.cinfo.num_components);
  band->resize(row * kBandRows);
  jpeg_start_decompress(&d.cinfo);
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    const int first = static_cast<int>(d.cinfo.output_scanline);
    int got = 0;
    while (got < kBandRows && d.cinfo.output_scanline < d.cinfo.output_height) {
      JSAMPROW rowp = band->data() + static_cast<size_t>(got) * row;
      got += static_cast<int>(jpeg_read_scanlines(&d.cinfo, &rowp, 1));
    }
    *sink_status = sink(band->data(), first, got);
    if (!sink_status->ok()) {
      jpeg_destroy_decompress(&d.cinfo);
      return false;
    }
  }
  jpeg_finish_decompress(&d.cinfo);
  jpeg_destroy_decompress(&d.cinfo);
  return true;
}

uint16_t Read16(const uint8_t* p, bool le) { return le ? (p[0] | (p[1] << 8)) : ((p[0] << 8) | p[1]); }
uint32_t Read32(const uint8_t* p, bool le) {
  return le ? (uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24))
            : ((uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]});
}

// Orientation tag from a TIFF structure (the APP1 payload after "Exif\0\0").
int TiffOrientation(const uint8_t* t, size_t n) {
  if (n < 8) return 1;
  bool le;
  if (t[0] == 'I' && t[1] == 'I') le = true;
  else if (t[0] == 'M' && t[1] == 'M') le = false;
  else return 1;
  const uint32_t ifd = Read32(t + 4, le);
  if (ifd > n || n - ifd < 2) return 1;
  const uint16_t entries = Read16(t + ifd, le);
  for (uint32_t i = 0; i < entries; ++i) {
    const size_t off = ifd + 2 + size_t{i} * 12;
    if (off + 12 > n) return 1;
    if (Read16(t + off, le) == 0x0112) {
      const uint16_t type = Read16(t + off + 2, le);
      const int v = type == 3 ? Read16(t + off + 8, le) : (type == 4 ? static_cast<int>(Read32(t + off + 8, le)) : 1);
      return (v >= 1 && v <= 8) ? v : 1;
    }
  }
  return 1;
}

}  // namespace

int JpegExifOrientation(const uint8_t* data, size_t size) {
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return 1;
  size_t pos = 2;
  while (pos + 4 <= size) {
    if (data[pos] != 0xFF) return 1;
    const uint8_t marker = data[pos + 1];
    if (marker == 0xFF) { ++pos; continue; }
    if (marker == 0xDA || marker == 0xD9) return 1;  // start of scan / end: no more headers
    const size_t len = (size_t{data[pos + 2]} << 8) | data[pos + 3];
    if (len < 2 || pos + 2 + len > size) return 1;
    const uint8_t* seg = data + pos + 4;
    const size_t seg_len = len - 2;
    if (marker == 0xE1 && seg_len >= 6 && std::memcmp(seg, "Exif\0\0", 6) == 0) {
      return TiffOrientation(seg + 6, seg_len - 6);
    }
    pos += 2 + len;
  }
  return 1;
}

Status DecodeJpegRows(const uint8_t* data, size_t size, int64_t max_pixels, ImageMode* mode_out,
                      FunctionRef<Status(const uint8_t*, int, int)> sink) {
  Decoder d;
  std::vector<uint8_t> band;
  std::string error;
  Status sink_status;
  if (!RunRows(d, data, size, max_pixels, &band, mode_out, sink, &error, &sink_status)) {
    if (!sink_status.ok()) return sink_status;
    return CorruptDataError("JPEG: " + error);
  }
  return Status::Ok();
}

StatusOr<JpegHeader> ReadJpegHeader(const uint8_t* data, size_t size) {
  Decoder d;
  JpegHeader header;
  std::string error;
  if (!Run(d, data, size, true, 0, nullptr, &header, &error)) {
    return CorruptDataError("JPEG header: " + error);
  }
  header.orientation = JpegExifOrientation(data, size);
  return header;
}

StatusOr<Image> DecodeJpeg(const uint8_t* data, size_t size, int64_t max_pixels) {
  ASSIGN_OR_RETURN(JpegHeader header, ReadJpegHeader(data, size));
  if (header.width <= 0 || header.height <= 0 || header.width * header.height > max_pixels) {
    return ResourceExhaustedError("JPEG of " + std::to_string(header.width) + "x" + std::to_string(header.height) +
                                  " pixels exceeds the limit of " + std::to_string(max_pixels) + " pixels");
  }
  Decoder d;
  Image img;
  std::string error;
  if (!Run(d, data, size, false, max_pixels, &img, &header, &error)) {
    return CorruptDataError("JPEG: " + error);
  }
  return img;
}

}  // namespace cliprt::image
