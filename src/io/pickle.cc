#include "io/pickle.h"

#include <cstring>
#include <unordered_map>

namespace cliprt::io {

const char* PickleKindName(PickleNode::Kind kind) {
  using K = PickleNode::Kind;
  switch (kind) {
    case K::kNone: return "None";
    case K::kBool: return "bool";
    case K::kInt: return "int";
    case K::kFloat: return "float";
    case K::kString: return "str";
    case K::kBytes: return "bytes";
    case K::kTuple: return "tuple";
    case K::kList: return "list";
    case K::kDict: return "dict";
    case K::kGlobal: return "global";
    case K::kObject: return "object";
    case K::kStorage: return "storage";
    case K::kTensor: return "tensor";
  }
  return "?";
}

int32_t PickleGraph::DictGet(int32_t dict, std::string_view key) const {
  const PickleNode& d = node(dict);
  if (d.kind != PickleNode::Kind::kDict) return -1;
  for (size_t i = 0; i + 1 < d.items.size(); i += 2) {
    const PickleNode& k = node(d.items[i]);
    if (k.kind == PickleNode::Kind::kString && k.text == key) return d.items[i + 1];
  }
  return -1;
}

namespace {

using Kind = PickleNode::Kind;

// The callables REDUCE may apply; anything else never gets a node.
enum class Callable { kRebuildTensorV2, kRebuildParameter, kOrderedDict, kFirstArgument };

bool StorageDType(std::string_view name, DType* dtype) {
  static const struct { const char* name; DType dtype; } kTypes[] = {
      {"torch.FloatStorage", DType::kF32},   {"torch.HalfStorage", DType::kF16},
      {"torch.BFloat16Storage", DType::kBF16}, {"torch.DoubleStorage", DType::kF64},
      {"torch.LongStorage", DType::kI64},    {"torch.IntStorage", DType::kI32},
      {"torch.ShortStorage", DType::kI16},   {"torch.CharStorage", DType::kI8},
      {"torch.ByteStorage", DType::kU8},     {"torch.BoolStorage", DType::kBool},
  };
  for (const auto& t : kTypes) {
    if (name == t.name) {
      *dtype = t.dtype;
      return true;
    }
  }
  return false;
}

bool AllowedCallable(std::string_view name, Callable* c) {
  if (name == "torch._utils._rebuild_tensor_v2") { *c = Callable::kRebuildTensorV2; return true; }
  if (name == "torch._utils._rebuild_parameter") { *c = Callable::kRebuildParameter; return true; }
  if (name == "collections.OrderedDict") { *c = Callable::kOrderedDict; return true; }
  if (name == "torch.jit._pickle.build_intlist" || name == "torch.jit._pickle.build_tensorlist" ||
      name == "torch.jit._pickle.build_doublelist" || name == "torch.jit._pickle.build_boollist" ||
      name == "torch.jit._pickle.restore_type_tag") {
    *c = Callable::kFirstArgument;
    return true;
  }
  return false;
}

bool IsModuleClass(std::string_view name) { return name.rfind("__torch__.", 0) == 0; }

class Unpickler {
 public:
  Unpickler(std::string_view bytes, const std::string& source, const PickleLimits& limits)
      : in_(bytes), source_(source), limits_(limits) {}

  StatusOr<PickleGraph> Run() {
    while (true) {
      if (pos_ >= in_.size()) return Error(pos_, "truncated pickle: no STOP opcode");
      op_pos_ = pos_;
      const auto op = static_cast<uint8_t>(in_[pos_++]);
      if (op == '.') {  // STOP
        if (stack_.empty()) return Error(op_pos_, "STOP with an empty stack");
        graph_.root = stack_.back();
        return std::move(graph_);
      }
      RETURN_IF_ERROR(Step(op));
    }
  }

 private:
  Status Error(size_t at, const std::string& what) const {
    return CorruptDataError("pickle " + source_ + " at byte " + std::to_string(at) + ": " + what);
  }
  Status OpError(const std::string& what) const { return Error(op_pos_, what); }

  Status Need(size_t n) {
    if (in_.size() - pos_ < n) return Error(pos_, "truncated pickle (argument needs " +
                                                      std::to_string(n) + " bytes)");
    return Status::Ok();
  }
  uint64_t ReadLe(size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += n;
    return v;
  }

  StatusOr<int32_t> NewNode(Kind kind) {
    if (graph_.nodes.size() >= limits_.max_nodes) {
      return ResourceExhaustedError("pickle " + source_ + ": more than " +
                                    std::to_string(limits_.max_nodes) + " objects");
    }
    graph_.nodes.emplace_back();
    graph_.nodes.back().kind = kind;
    return static_cast<int32_t>(graph_.nodes.size() - 1);
  }
  PickleNode& N(int32_t i) { return graph_.nodes[static_cast<size_t>(i)]; }

  Status Push(int32_t node) {
    if (stack_.size() >= limits_.max_stack) {
      return ResourceExhaustedError("pickle " + source_ + ": stack deeper than " +
                                    std::to_string(limits_.max_stack));
    }
    stack_.push_back(node);
    return Status::Ok();
  }
  Status PushNew(Kind kind, int32_t* out = nullptr) {
    ASSIGN_OR_RETURN(int32_t n, NewNode(kind));
    if (out) *out = n;
    return Push(n);
  }
  StatusOr<int32_t> Pop() {
    if (stack_.size() <= StackFloor()) return OpError("stack underflow");
    const int32_t v = stack_.back();
    stack_.pop_back();
    return v;
  }
  // Items above the innermost MARK are the only ones an opcode may pop.
  size_t StackFloor() const { return marks_.empty() ? 0 : marks_.back(); }
  StatusOr<int32_t> Top() {
    if (stack_.size() <= StackFloor()) return OpError("stack underflow");
    return stack_.back();
  }
  // Pops everything above the innermost MARK (and the MARK).
  StatusOr<std::vector<int32_t>> PopMark() {
    if (marks_.empty()) return OpError("no MARK on the stack");
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<int32_t> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }

  Status Memoize(uint64_t key) {
    ASSIGN_OR_RETURN(int32_t top, Top());
    if (memo_.size() >= limits_.max_memo && memo_.find(key) == memo_.end()) {
      return ResourceExhaustedError("pickle " + source_ + ": memo larger than " +
                                    std::to_string(limits_.max_memo) + " entries");
    }
    memo_[key] = top;
    return Status::Ok();
  }
  Status MemoGet(uint64_t key) {
    auto it = memo_.find(key);
    if (it == memo_.end()) return OpError("memo key " + std::to_string(key) + " was never stored");
    return Push(it->second);
  }

  Status PushString(Kind kind, uint64_t len) {
    if (len > limits_.max_string_bytes) {
      return ResourceExhaustedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                                    ": string of " + std::to_string(len) + " bytes exceeds the limit");
    }
    RETURN_IF_ERROR(Need(len));
    int32_t n = -1;
    RETURN_IF_ERROR(PushNew(kind, &n));
    N(n).text.assign(in_.data() + pos_, len);
    pos_ += len;
    return Status::Ok();
  }

  Status PushInt(int64_t v) {
    int32_t n = -1;
    RETURN_IF_ERROR(PushNew(Kind::kInt, &n));
    N(n).int_value = v;
    return Status::Ok();
  }

  StatusOr<std::string> ReadLine() {
    const size_t end = in_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256) {
      return OpError("GLOBAL argument is not a newline-terminated name of <= 256 bytes");
    }
    std::string line(in_.data() + pos_, end - pos_);
    pos_ = end + 1;
    return line;
  }

  Status Global() {
    ASSIGN_OR_RETURN(std::string module, ReadLine());
    ASSIGN_OR_RETURN(std::string name, ReadLine());
    const std::string full = module + "." + name;
    DType dtype;
    Callable c;
    if (!StorageDType(full, &dtype) && !AllowedCallable(full, &c) && !IsModuleClass(full)) {
      return UnsupportedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                              ": GLOBAL '" + full + "' is not allowed (restricted unpickler)");
    }
    int32_t n = -1;
    RETURN_IF_ERROR(PushNew(Kind::kGlobal, &n));
    N(n).text = full;
    return Status::Ok();
  }

  StatusOr<int64_t> IntOf(int32_t node, const char* what) {
    const PickleNode& n = N(node);
    if (n.kind == Kind::kInt) return n.int_value;
    if (n.kind == Kind::kBool) return n.bool_value ? 1 : 0;
    return OpError(std::string(what) + " must be an int, got " + PickleKindName(n.kind));
  }

  StatusOr<Dims> DimsOf(int32_t node, const char* what) {
    const PickleNode& n = N(node);
    if (n.kind != Kind::kTuple && n.kind != Kind::kList) {
      return OpError(std::string(what) + " must be a tuple, got " + PickleKindName(n.kind));
    }
    if (n.items.size() > static_cast<size_t>(kMaxRank)) {
      return UnsupportedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                              ": tensor rank " + std::to_string(n.items.size()) + " exceeds " +
                              std::to_string(kMaxRank));
    }
    int64_t v[kMaxRank] = {};
    const std::vector<int32_t> items = n.items;
    for (size_t i = 0; i < items.size(); ++i) {
      ASSIGN_OR_RETURN(v[i], IntOf(items[i], what));
    }
    return Dims::FromArray(v, static_cast<int>(items.size()));
  }

  Status RebuildTensor(const std::vector<int32_t>& args) {
    if (args.size() < 6 || args.size() > 7) {
      return OpError("_rebuild_tensor_v2 expects 6 or 7 arguments, got " +
                     std::to_string(args.size()));
    }
    if (N(args[0]).kind != Kind::kStorage) {
      return OpError(std::string("_rebuild_tensor_v2: first argument is a ") +
                     PickleKindName(N(args[0]).kind) + ", not a storage");
    }
    ASSIGN_OR_RETURN(int64_t offset, IntOf(args[1], "storage offset"));
    if (offset < 0) return OpError("negative storage offset");
    TensorLayout layout;
    ASSIGN_OR_RETURN(layout.shape, DimsOf(args[2], "tensor size"));
    ASSIGN_OR_RETURN(layout.strides, DimsOf(args[3], "tensor stride"));
    if (layout.shape.rank() != layout.strides.rank()) {
      return OpError("tensor size " + layout.shape.ToString() + " and stride " +
                     layout.strides.ToString() + " differ in rank");
    }
    int32_t n = -1;
    RETURN_IF_ERROR(PushNew(Kind::kTensor, &n));
    N(n).ref = args[0];
    N(n).int_value = offset;
    N(n).dtype = N(args[0]).dtype;
    N(n).tensor = static_cast<int32_t>(graph_.tensor_layouts.size());
    graph_.tensor_layouts.push_back(layout);
    return Status::Ok();
  }

  Status Reduce() {
    ASSIGN_OR_RETURN(int32_t args_node, Pop());
    ASSIGN_OR_RETURN(int32_t fn_node, Pop());
    const PickleNode& fn = N(fn_node);
    if (fn.kind != Kind::kGlobal) {
      return OpError(std::string("REDUCE on a ") + PickleKindName(fn.kind) + ", not a GLOBAL");
    }
    Callable c;
    if (!AllowedCallable(fn.text, &c)) {
      return UnsupportedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                              ": REDUCE of '" + fn.text + "' is not allowed");
    }
    if (N(args_node).kind != Kind::kTuple) return OpError("REDUCE arguments are not a tuple");
    const std::vector<int32_t> args = N(args_node).items;
    switch (c) {
      case Callable::kOrderedDict:
        if (!args.empty()) return OpError("OrderedDict with arguments is not supported");
        return PushNew(Kind::kDict);
      case Callable::kRebuildTensorV2:
        return RebuildTensor(args);
      case Callable::kRebuildParameter:
        if (args.empty() || N(args[0]).kind != Kind::kTensor) {
          return OpError("_rebuild_parameter expects a tensor argument");
        }
        return Push(args[0]);
      case Callable::kFirstArgument:
        if (args.empty()) return OpError("'" + fn.text + "' expects an argument");
        return Push(args[0]);
    }
    return OpError("unreachable REDUCE");
  }

  Status PersistentId() {
    ASSIGN_OR_RETURN(int32_t pid, Pop());
    const PickleNode& t = N(pid);
    if (t.kind != Kind::kTuple || (t.items.size() != 5 && t.items.size() != 6)) {
      return OpError("persistent id is not a 5- or 6-tuple");
    }
    const PickleNode& tag = N(t.items[0]);
    const PickleNode& type = N(t.items[1]);
    const PickleNode& key = N(t.items[2]);
    const PickleNode& location = N(t.items[3]);
    const PickleNode& numel = N(t.items[4]);
    if (tag.kind != Kind::kString || tag.text != "storage") {
      return OpError("persistent id does not start with \"storage\"");
    }
    DType dtype;
    if (type.kind != Kind::kGlobal || !StorageDType(type.text, &dtype)) {
      return OpError("persistent id storage type is not a known torch.*Storage");
    }
    if (key.kind != Kind::kString || key.text.empty() || key.text.size() > 256) {
      return OpError("persistent id key is not a short string");
    }
    if (location.kind != Kind::kString) return OpError("persistent id location is not a string");
    if (numel.kind != Kind::kInt || numel.int_value < 0) {
      return OpError("persistent id element count is not a non-negative int");
    }
    if (t.items.size() == 6 && N(t.items[5]).kind != Kind::kNone) {
      return UnsupportedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                              ": storage views (6th persistent-id element not None) are not supported");
    }
    const std::string key_text = key.text;
    const int64_t count = numel.int_value;
    int32_t n = -1;
    RETURN_IF_ERROR(PushNew(Kind::kStorage, &n));
    N(n).text = key_text;
    N(n).dtype = dtype;
    N(n).int_value = count;
    return Status::Ok();
  }

  Status SetItems(int32_t dict, const std::vector<int32_t>& kv) {
    if (N(dict).kind != Kind::kDict) {
      return OpError(std::string("SETITEM(S) on a ") + PickleKindName(N(dict).kind));
    }
    if (kv.size() % 2 != 0) return OpError("SETITEMS with an odd number of items");
    for (int32_t v : kv) N(dict).items.push_back(v);
    return Status::Ok();
  }

  Status Step(uint8_t op) {
    switch (op) {
      case 0x80: {  // PROTO
        RETURN_IF_ERROR(Need(1));
        const auto v = static_cast<uint8_t>(in_[pos_++]);
        if (v < 2 || v > 5) return OpError("unsupported pickle protocol " + std::to_string(v));
        return Status::Ok();
      }
      case 0x95:  // FRAME: framing is only a read-ahead hint
        RETURN_IF_ERROR(Need(8));
        pos_ += 8;
        return Status::Ok();
      case '(':  // MARK
        if (marks_.size() >= limits_.max_stack) return OpError("too many MARKs");
        marks_.push_back(stack_.size());
        return Status::Ok();
      case 'c': return Global();
      case 'q': RETURN_IF_ERROR(Need(1)); return Memoize(ReadLe(1));
      case 'r': RETURN_IF_ERROR(Need(4)); return Memoize(ReadLe(4));
      case 0x94: return Memoize(memo_.size());
      case 'h': RETURN_IF_ERROR(Need(1)); return MemoGet(ReadLe(1));
      case 'j': RETURN_IF_ERROR(Need(4)); return MemoGet(ReadLe(4));
      case ')': return PushNew(Kind::kTuple);
      case 't': {
        ASSIGN_OR_RETURN(std::vector<int32_t> items, PopMark());
        int32_t n = -1;
        RETURN_IF_ERROR(PushNew(Kind::kTuple, &n));
        N(n).items = std::move(items);
        return Status::Ok();
      }
      case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
        const size_t count = op - 0x84u;
        if (stack_.size() < StackFloor() + count) return OpError("stack underflow");
        std::vector<int32_t> items(stack_.end() - static_cast<std::ptrdiff_t>(count), stack_.end());
        stack_.resize(stack_.size() - count);
        int32_t n = -1;
        RETURN_IF_ERROR(PushNew(Kind::kTuple, &n));
        N(n).items = std::move(items);
        return Status::Ok();
      }
      case ']': return PushNew(Kind::kList);
      case '}': return PushNew(Kind::kDict);
      case 'a': {
        ASSIGN_OR_RETURN(int32_t v, Pop());
        ASSIGN_OR_RETURN(int32_t list, Top());
        if (N(list).kind != Kind::kList) return OpError("APPEND to a non-list");
        N(list).items.push_back(v);
        return Status::Ok();
      }
      case 'e': {
        ASSIGN_OR_RETURN(std::vector<int32_t> items, PopMark());
        ASSIGN_OR_RETURN(int32_t list, Top());
        if (N(list).kind != Kind::kList) return OpError("APPENDS to a non-list");
        for (int32_t v : items) N(list).items.push_back(v);
        return Status::Ok();
      }
      case 's': {
        ASSIGN_OR_RETURN(int32_t v, Pop());
        ASSIGN_OR_RETURN(int32_t k, Pop());
        ASSIGN_OR_RETURN(int32_t dict, Top());
        return SetItems(dict, {k, v});
      }
      case 'u': {
        ASSIGN_OR_RETURN(std::vector<int32_t> kv, PopMark());
        ASSIGN_OR_RETURN(int32_t dict, Top());
        return SetItems(dict, kv);
      }
      case 'J': {
        RETURN_IF_ERROR(Need(4));
        return PushInt(static_cast<int32_t>(static_cast<uint32_t>(ReadLe(4))));
      }
      case 'K': RETURN_IF_ERROR(Need(1)); return PushInt(static_cast<int64_t>(ReadLe(1)));
      case 'M': RETURN_IF_ERROR(Need(2)); return PushInt(static_cast<int64_t>(ReadLe(2)));
      case 0x8a: {  // LONG1: little-endian two's complement of n bytes
        RETURN_IF_ERROR(Need(1));
        const size_t n = static_cast<uint8_t>(in_[pos_++]);
        if (n > 8) return OpError("LONG1 of " + std::to_string(n) + " bytes does not fit int64");
        RETURN_IF_ERROR(Need(n));
        uint64_t v = ReadLe(n);
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);
        return PushInt(static_cast<int64_t>(v));
      }
      case 'N': return PushNew(Kind::kNone);
      case 0x88: case 0x89: {
        int32_t n = -1;
        RETURN_IF_ERROR(PushNew(Kind::kBool, &n));
        N(n).bool_value = op == 0x88;
        return Status::Ok();
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        RETURN_IF_ERROR(Need(8));
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<uint8_t>(in_[pos_ + i]);
        pos_ += 8;
        int32_t n = -1;
        RETURN_IF_ERROR(PushNew(Kind::kFloat, &n));
        std::memcpy(&N(n).float_value, &bits, 8);
        return Status::Ok();
      }
      case 'X': RETURN_IF_ERROR(Need(4)); return PushString(Kind::kString, ReadLe(4));
      case 0x8c: RETURN_IF_ERROR(Need(1)); return PushString(Kind::kString, ReadLe(1));
      case 0x8d: RETURN_IF_ERROR(Need(8)); return PushString(Kind::kString, ReadLe(8));
      case 'B': RETURN_IF_ERROR(Need(4)); return PushString(Kind::kBytes, ReadLe(4));
      case 'C': RETURN_IF_ERROR(Need(1)); return PushString(Kind::kBytes, ReadLe(1));
      case 'R': return Reduce();
      case 0x81: {  // NEWOBJ: only TorchScript module classes
        ASSIGN_OR_RETURN(int32_t args, Pop());
        ASSIGN_OR_RETURN(int32_t cls, Pop());
        if (N(cls).kind != Kind::kGlobal || !IsModuleClass(N(cls).text)) {
          return UnsupportedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                                  ": NEWOBJ of '" + N(cls).text +
                                  "' (only __torch__ module classes are rebuilt)");
        }
        if (N(args).kind != Kind::kTuple) return OpError("NEWOBJ arguments are not a tuple");
        const std::string name = N(cls).text;
        int32_t n = -1;
        RETURN_IF_ERROR(PushNew(Kind::kObject, &n));
        N(n).text = name;
        return Status::Ok();
      }
      case 'b': {  // BUILD
        ASSIGN_OR_RETURN(int32_t state, Pop());
        ASSIGN_OR_RETURN(int32_t target, Top());
        if (N(target).kind == Kind::kObject) {
          if (N(state).kind != Kind::kDict) return OpError("module state is not a dict");
          if (N(target).ref != -1) return OpError("module object built twice");
          N(target).ref = state;
          return Status::Ok();
        }
        // torch.save state dicts BUILD their OrderedDict with {_metadata: ...}.
        if (N(target).kind == Kind::kDict) return Status::Ok();
        return OpError(std::string("BUILD on a ") + PickleKindName(N(target).kind));
      }
      case 'Q': return PersistentId();
      default: {
        std::string shown = (op >= 0x20 && op < 0x7f) ? std::string(" ('") + static_cast<char>(op) + "')"
                                                      : std::string();
        static const char kHex[] = "0123456789abcdef";
        return UnsupportedError("pickle " + source_ + " at byte " + std::to_string(op_pos_) +
                                ": opcode 0x" + kHex[op >> 4] + kHex[op & 15] + shown +
                                " is not supported by the restricted unpickler");
      }
    }
  }

  std::string_view in_;
  const std::string& source_;
  PickleLimits limits_;
  size_t pos_ = 0;
  size_t op_pos_ = 0;
  PickleGraph graph_;
  std::vector<int32_t> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, int32_t> memo_;
};

}  // namespace

StatusOr<PickleGraph> Unpickle(std::string_view bytes, const std::string& source,
                               const PickleLimits& limits) {
  Unpickler u(bytes, source, limits);
  return u.Run();
}

}  // namespace cliprt::io
