// PNG header facts stb_image does not report: bit depth, colour type and the
// palette, which decide the Pillow mode (PngImagePlugin._MODES).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/status.h"
#include "image/image.h"

namespace cliprt::image {

struct PngHeader {
  int64_t width = 0;
  int64_t height = 0;
  int bit_depth = 0;
  int color_type = 0;
  ImageMode mode = ImageMode::kRGB;  // Pillow's mode for (bit_depth, color_type)
  std::vector<uint8_t> palette;      // PLTE entries as RGB triplets
  bool has_trns = false;             // a tRNS chunk precedes IDAT
  int trns_key[3] = {-1, -1, -1};    // 8-bit gray/RGB colour key from tRNS
  size_t plte_offset = 0;            // byte offset of the PLTE chunk (length field); 0 if none
  size_t plte_chunk_bytes = 0;       // its total size (12 + length)
};

// Reads the signature, IHDR and (if present before IDAT) PLTE.
StatusOr<PngHeader> ReadPngHeader(const uint8_t* data, size_t size);

// A copy of the PNG whose PLTE chunk is extended to 256 entries with black.
// stb_image reads indices past a short palette from uninitialized stack
// memory; Pillow shows them as black. Empty when there is nothing to do.
std::vector<uint8_t> PngWithFullPalette(const uint8_t* data, size_t size, const PngHeader& header);

}  // namespace cliprt::image
