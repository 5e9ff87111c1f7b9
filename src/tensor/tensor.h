// TensorView (non-owning) and Tensor (shared ownership of its storage).
//
// Storage is either owned — 64-byte aligned, allocated by Tensor::Empty — or
// borrowed, e.g. a region of an mmapped checkpoint, kept alive by a
// `keepalive` handle the borrower passes in. Strides are in elements and may
// describe non-contiguous layouts (PyTorch checkpoints store such views).
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>

#include "core/status.h"
#include "tensor/dtype.h"
#include "tensor/shape.h"

namespace cliprt {

class TensorView {
 public:
  TensorView() = default;
  TensorView(void* data, DType dtype, const Shape& shape, const Strides& strides)
      : data_(data), dtype_(dtype), shape_(shape), strides_(strides) {}
  TensorView(void* data, DType dtype, const Shape& shape)
      : TensorView(data, dtype, shape, ContiguousStrides(shape)) {}

  void* data() const { return data_; }
  template <typename T>
  T* data_as() const {
    assert(sizeof(T) == DTypeSize(dtype_));
    return static_cast<T*>(data_);
  }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  int rank() const { return shape_.rank(); }
  int64_t dim(int i) const { return shape_[i]; }
  int64_t stride(int i) const { return strides_[i]; }
  int64_t numel() const;  // shape must already be validated (no overflow)
  bool is_contiguous() const;

  // Element offset (in elements) of a multi-index; no bounds checks.
  int64_t OffsetOf(std::initializer_list<int64_t> index) const;

  // View of [start, stop) along `axis` (same storage).
  StatusOr<TensorView> Slice(int axis, int64_t start, int64_t stop) const;
  // Dimensions reordered: result dim i = this dim order[i].
  StatusOr<TensorView> Permute(std::initializer_list<int> order) const;
  // Same elements, new shape; requires a contiguous view.
  StatusOr<TensorView> Reshape(const Shape& shape) const;

 private:
  void* data_ = nullptr;
  DType dtype_ = DType::kF32;
  Shape shape_;
  Strides strides_;
};

class Tensor {
 public:
  Tensor() = default;

  // Uninitialized owned storage, 64-byte aligned, contiguous.
  static StatusOr<Tensor> Empty(DType dtype, const Shape& shape);
  // Owned storage filled with zero bytes.
  static StatusOr<Tensor> Zeros(DType dtype, const Shape& shape);
  // Borrowed storage: `keepalive` (may be null for static memory) is held for
  // as long as any copy of this Tensor exists.
  static Tensor Borrow(void* data, DType dtype, const Shape& shape, const Strides& strides,
                       std::shared_ptr<const void> keepalive);

  const TensorView& view() const { return view_; }
  void* data() const { return view_.data(); }
  template <typename T>
  T* data_as() const { return view_.data_as<T>(); }
  DType dtype() const { return view_.dtype(); }
  const Shape& shape() const { return view_.shape(); }
  const Strides& strides() const { return view_.strides(); }
  int rank() const { return view_.rank(); }
  int64_t dim(int i) const { return view_.dim(i); }
  int64_t numel() const { return view_.numel(); }
  bool is_contiguous() const { return view_.is_contiguous(); }
  bool owns_storage() const { return owned_; }
  bool empty() const { return view_.data() == nullptr; }

  // A contiguous fp32 copy; f16/bf16/f64/integer elements are converted
  // (f16/bf16 → f32 is exact). Honors strides.
  StatusOr<Tensor> ToContiguousF32() const;
  // A contiguous copy in the same dtype. Honors strides.
  StatusOr<Tensor> ToContiguous() const;

 private:
  TensorView view_;
  std::shared_ptr<const void> storage_;
  bool owned_ = false;
};

}  // namespace cliprt
