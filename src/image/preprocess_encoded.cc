// PreprocessEncodedInto: decode + preprocess, streaming JPEG rows into the
// horizontal resize pass when Pillow's pass order allows it.
#include <string>

#include "image/decode.h"
#include "image/jpeg_decoder.h"
#include "image/preprocess.h"
#include "image/resize.h"

namespace cliprt::image {

Status PreprocessEncodedInto(const uint8_t* data, size_t size, const DecodeOptions& decode,
                             const PreprocessConfig& c, float* out, size_t out_floats, PreprocessRecord* record) {
  if (out == nullptr) return InvalidArgumentError("preprocess output buffer is null");
  const size_t plane = static_cast<size_t>(c.out_height) * static_cast<size_t>(c.out_width);
  if (c.out_height <= 0 || c.out_width <= 0 || c.out_height > 16384 || c.out_width > 16384 ||
      out_floats < 3 * plane) {
    return InvalidArgumentError("preprocess output buffer holds " + std::to_string(out_floats) +
                                " floats, the preset needs 3x" + std::to_string(c.out_height) + "x" +
                                std::to_string(c.out_width));
  }
  ASSIGN_OR_RETURN(ImageInfo info, ProbeImage(data, size));
  const bool jpeg_stream = info.format == ImageFormat::kJpeg && c.do_resize &&
                           (info.mode == ImageMode::kRGB || info.mode == ImageMode::kL) &&
                           !(decode.apply_exif_orientation && info.exif_orientation != 1) &&
                           info.width > 0 && info.height > 0 && info.width * info.height <= decode.max_pixels;
  if (jpeg_stream) {
    int w = 0, h = 0;
    RETURN_IF_ERROR(PreprocessResizeTarget(static_cast<int>(info.width), static_cast<int>(info.height), c, &w, &h));
    // L and RGB JPEGs have no alpha, so the HF order (convert first) and the
    // OpenAI order give the same bytes: resize in the decoded mode.
    StatusOr<StreamingResizer> resizer =
        StreamingResizer::Create(info.mode, static_cast<int>(info.width), static_cast<int>(info.height), w, h,
                                 c.interpolation);
    if (resizer.ok()) {
      ImageMode mode = info.mode;
      RETURN_IF_ERROR(DecodeJpegRows(data, size, decode.max_pixels, &mode,
                                     [&](const uint8_t* rows, int first, int count) {
                                       resizer->ConsumeRows(rows, first, count);
                                       return Status::Ok();
                                     }));
      PreprocessRecord local;
      PreprocessRecord& rec = record ? *record : local;
      rec.config = c;
      rec.source_width = static_cast<int>(info.width);
      rec.source_height = static_cast<int>(info.height);
      rec.source_mode = std::string(ImageModeName(info.mode));
      rec.converted_before_resize = c.rgb_conversion == RgbConversion::kBeforeResize;
      ASSIGN_OR_RETURN(Image resized, resizer->Finish());
      ASSIGN_OR_RETURN(Image rgb, PreprocessFinishResized(std::move(resized), c, rec));
      return NormalizeInto(rgb, c, out);
    }
  }
  ASSIGN_OR_RETURN(Image img, DecodeImage(data, size, decode));
  return PreprocessInto(img, c, out, out_floats, record);
}

}  // namespace cliprt::image
