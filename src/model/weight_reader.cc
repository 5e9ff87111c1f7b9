#include "model/weight_reader.h"

namespace cliprt::model {

bool WeightReader::Has(std::string_view name) const {
  return weights_.tensors.find(name) != weights_.tensors.end();
}

std::string WeightReader::SourceName(std::string_view name) const {
  auto it = weights_.source_name.find(std::string(name));
  return it == weights_.source_name.end() ? std::string(name) : it->second;
}

StatusOr<Tensor> WeightReader::F32Any(std::string_view name) const {
  auto it = weights_.tensors.find(name);
  if (it == weights_.tensors.end()) {
    return NotFoundError("checkpoint has no tensor \"" + std::string(name) + "\" (" + weights_.naming +
                         " naming)");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    read_.insert(std::string(name));
  }
  auto widened = it->second.ToContiguousF32();
  if (!widened.ok()) {
    return Status(widened.status().code(), "tensor \"" + SourceName(name) + "\": " + widened.status().message());
  }
  return widened;
}

StatusOr<Tensor> WeightReader::F32(std::string_view name, std::initializer_list<int64_t> shape) const {
  auto it = weights_.tensors.find(name);
  if (it != weights_.tensors.end() && it->second.shape() != Shape(shape)) {
    const std::string source = SourceName(name);
    return CorruptDataError("tensor \"" + std::string(name) + "\"" +
                            (source != name ? " (\"" + source + "\" in the file)" : std::string()) +
                            " has shape " + it->second.shape().ToString() + ", the model config needs " +
                            Shape(shape).ToString());
  }
  return F32Any(name);
}

StatusOr<Tensor> WeightReader::Compact(std::string_view name,
                                       std::initializer_list<int64_t> shape) const {
  auto it = weights_.tensors.find(name);
  if (it == weights_.tensors.end() ||
      (it->second.dtype() != DType::kF16 && it->second.dtype() != DType::kBF16)) {
    return F32(name, shape);
  }
  const Tensor& stored = it->second;
  if (stored.shape() != Shape(shape)) return F32(name, shape);  // its shape error
  {
    std::lock_guard<std::mutex> lock(mutex_);
    read_.insert(std::string(name));
  }
  auto copy = stored.ToContiguous();
  if (!copy.ok()) {
    return Status(copy.status().code(), "tensor \"" + SourceName(name) + "\": " + copy.status().message());
  }
  return copy;
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
