// Reads tensors from PyTorch zip archives: torch.save files (a state dict, or
// a dict nesting one under "state_dict", optionally with DataParallel
// "module." prefixes) and TorchScript archives as OpenAI ships them (module
// objects rebuilt as attribute maps; tensors collected along attribute
// paths; OpenAI's bookkeeping tensors input_resolution, context_length and
// vocab_size dropped). Storages are resolved to zero-copy views of the
// archive's stored records, honouring offsets and strides.
#pragma once

#include "io/tensor_set.h"

namespace cliprt::io {

struct TorchArchiveInfo {
  bool torchscript = false;  // constants.pkl + code/ present
  std::string top_dir;       // the archive's single top-level directory
  bool stripped_module_prefix = false;
  bool unwrapped_state_dict = false;
};

StatusOr<TensorSet> ReadTorchArchive(const ByteSource& src, const TensorFilter& filter,
                                     TorchArchiveInfo* info = nullptr);

// The legacy (pre-1.6, non-zip) torch.save format starts with a pickled
// magic number; it is recognised only to give a clear "unsupported" error.
bool LooksLikeLegacyTorch(const uint8_t* data, size_t size);

}  // namespace cliprt::io
