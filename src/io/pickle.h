// A restricted unpickler for torch.save and TorchScript data.pkl records.
//
// It implements only the opcodes those writers emit (REFERENCE.md §1.1) and
// resolves only an allow-list of GLOBALs: tensor rebuild functions, storage
// types, collections.OrderedDict, torch.jit._pickle helpers and TorchScript
// module classes (`__torch__.*`, rebuilt as plain attribute maps). Nothing is
// executed: every other opcode or GLOBAL (os.system, builtins.eval, ...) is
// rejected with an error naming it and its byte offset.
//
// The result is a graph of nodes in one vector (children are indices), so
// self-referencing pickles cannot leak or recurse: consumers bound their
// walks by depth. Memo, stack, node count and string sizes are bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tensor/dtype.h"
#include "tensor/shape.h"

namespace cliprt::io {

struct PickleNode {
  enum class Kind : uint8_t {
    kNone, kBool, kInt, kFloat, kString, kBytes, kTuple, kList, kDict,
    kGlobal,   // text = "module.name"
    kObject,   // a TorchScript module: text = class, ref = attribute dict (or -1)
    kStorage,  // persistent id: text = record key, dtype, int_value = numel
    kTensor,   // ref = storage node, int_value = storage offset, tensor = shape/strides
  };
  Kind kind = Kind::kNone;
  DType dtype = DType::kF32;
  bool bool_value = false;
  int64_t int_value = 0;
  double float_value = 0;
  int32_t ref = -1;
  int32_t tensor = -1;         // index into PickleGraph::tensor_layouts
  std::string text;            // strings, bytes, global and class names, storage key
  std::vector<int32_t> items;  // tuple/list elements; dict: key0, value0, key1, ...
};

struct TensorLayout {
  Shape shape;
  Strides strides;
};

struct PickleGraph {
  std::vector<PickleNode> nodes;
  std::vector<TensorLayout> tensor_layouts;
  int32_t root = -1;

  const PickleNode& node(int32_t i) const { return nodes[static_cast<size_t>(i)]; }
  // Value of a dict node for a string key, or -1.
  int32_t DictGet(int32_t dict, std::string_view key) const;
};

struct PickleLimits {
  size_t max_nodes = size_t{1} << 21;
  size_t max_stack = size_t{1} << 20;
  size_t max_memo = size_t{1} << 20;
  uint64_t max_string_bytes = uint64_t{1} << 26;
};

StatusOr<PickleGraph> Unpickle(std::string_view bytes, const std::string& source,
                               const PickleLimits& limits = PickleLimits());

const char* PickleKindName(PickleNode::Kind kind);

}  // namespace cliprt::io
