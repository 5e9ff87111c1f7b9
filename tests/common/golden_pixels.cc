#include "common/golden_pixels.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "api/preprocess_choice.h"
#include "common/test_paths.h"
#include "image/decode.h"
#include "io/checkpoint.h"
#include "io/json.h"
#include "io/npy.h"
#include "io/sha256.h"

namespace cliprt::testing {

namespace fs = std::filesystem;

StatusOr<Tensor> GoldenPixels(const std::string& fixture_dir) {
  const fs::path dir(fixture_dir);
  std::ifstream in(dir / "golden.json");
  if (!in) return NotFoundError(fixture_dir + ": no golden.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSIGN_OR_RETURN(io::JsonValue doc, io::ParseJson(text, "golden.json"));
  if (const io::JsonValue* file = doc.Find("pixels"); file && file->is_string()) {
    return io::ReadNpy((dir / file->string()).string());
  }
  ASSIGN_OR_RETURN(std::string checkpoint, io::JsonGetString(doc, "checkpoint", "golden.json"));
  ASSIGN_OR_RETURN(std::string expected, io::JsonGetString(doc, "pixels_sha256", "golden.json"));
  const io::JsonValue* images = doc.Find("images");
  if (!images || !images->is_array() || images->array().empty()) {
    return CorruptDataError(fixture_dir + ": golden.json lists no images");
  }
  io::LoadOptions load;
  load.compute_sha256 = false;
  ASSIGN_OR_RETURN(io::Checkpoint ck, io::LoadCheckpoint((dir / checkpoint).string(), load));
  ASSIGN_OR_RETURN(api::PreprocessChoice choice, api::ChoosePreprocessing(ck));
  const int64_t n = static_cast<int64_t>(images->array().size());
  const int64_t h = choice.config.out_height, w = choice.config.out_width;
  ASSIGN_OR_RETURN(Tensor pixels, Tensor::Empty(DType::kF32, Shape{n, 3, h, w}));
  const size_t per = static_cast<size_t>(3 * h * w);
  for (int64_t i = 0; i < n; ++i) {
    const std::string path = (fs::path(TestDataDir()) / images->array()[static_cast<size_t>(i)].string()).string();
    ASSIGN_OR_RETURN(image::Image img, image::DecodeImageFile(path));
    RETURN_IF_ERROR(image::PreprocessInto(img, choice.config, pixels.data_as<float>() + per * static_cast<size_t>(i), per));
  }
  ASSIGN_OR_RETURN(std::string actual, io::Sha256Hex(static_cast<const uint8_t*>(pixels.data()),
                                                     static_cast<size_t>(pixels.numel()) * sizeof(float)));
  if (actual != expected) {
    return FailedPreconditionError(fixture_dir + ": our preprocessing (" + choice.config.preset +
                                   ") does not reproduce the reference pixels bit for bit (sha256 " + actual +
                                   ", reference " + expected + ")");
  }
  return pixels;
}

}  // namespace cliprt::testing
