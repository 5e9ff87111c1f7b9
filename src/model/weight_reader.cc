#include "model/weight_reader.h"

namespace cliprt::model {

bool WeightReader::Has(std::string_view name) const {
  return weights_.tensors.find(name) != weights_.tensors.end();
}

std::string WeightReader::SourceName(std::string_view name) const {
  auto it = weights_.source_name.find(std::string(name));
  return it == weights_.source_name.end() ? std::string(name) : it->second;
}

StatusOr<Tensor> WeightReader::Copy(std::string_view name, const Shape* shape, bool keep_half) const {
  auto it = weights_.tensors.find(name);
  if (it == weights_.tensors.end()) {
    return NotFoundError("checkpoint has no tensor \"" + std::string(name) + "\" (" + weights_.naming +
                         " naming)");
  }
  const Tensor& stored = it->second;
  if (shape != nullptr && stored.shape() != *shape) {
    const std::string source = SourceName(name);
    return CorruptDataError("tensor \"" + std::string(name) + "\"" +
                            (source != name ? " (\"" + source + "\" in the file)" : std::string()) +
                            " has shape " + stored.shape().ToString() + ", the model config needs " +
                            shape->ToString());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    read_.insert(std::string(name));
  }
  const bool half = stored.dtype() == DType::kF16 || stored.dtype() == DType::kBF16;
  auto copy = keep_half && half ? stored.ToContiguous() : stored.ToContiguousF32();
  if (!copy.ok()) {
    return Status(copy.status().code(), "tensor \"" + SourceName(name) + "\": " + copy.status().message());
  }
  return copy;
}

StatusOr<Tensor> WeightReader::F32Any(std::string_view name) const { return Copy(name, nullptr, false); }

StatusOr<Tensor> WeightReader::F32(std::string_view name, std::initializer_list<int64_t> shape) const {
  const Shape s(shape);
  return Copy(name, &s, false);
}

StatusOr<Tensor> WeightReader::Compact(std::string_view name,
                                       std::initializer_list<int64_t> shape) const {
  const Shape s(shape);
  return Copy(name, &s, true);
}

std::vector<std::string> WeightReader::Unread(std::string_view prefix) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [name, tensor] : weights_.tensors) {
    if (name.compare(0, prefix.size(), prefix) == 0 && !read_.count(name)) out.push_back(name);
  }
  return out;
}

Status WeightReader::RefuseUnread(std::initializer_list<std::string_view> prefixes, std::string_view tower) const {
  std::vector<std::string> unread;
  for (std::string_view prefix : prefixes) {
    for (std::string& name : Unread(prefix)) unread.push_back(std::move(name));
  }
  if (unread.empty()) return Status::Ok();
  std::string list;
  for (size_t i = 0; i < unread.size() && i < 4; ++i) {
    list += i ? ", \"" : "\"";
    list += SourceName(unread[i]);
    list += "\"";
  }
  if (unread.size() > 4) list += ", ... (" + std::to_string(unread.size()) + " in all)";
  return UnsupportedError(std::string(tower) + ": the checkpoint has tensors this architecture does not use: " + list +
                          " (an unsupported variant, e.g. layer scale or an attentional pooler)");
}

}  // namespace cliprt::model
