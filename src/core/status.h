// Status and StatusOr<T>: how every fallible internal function reports failure.
//
// The library never throws across module boundaries and never aborts on bad
// input. A function that can fail returns Status (or StatusOr<T> when it also
// produces a value); the message says what was wrong and where (file, tensor
// name, byte offset, text index). Only src/c_api/ turns a Status into a
// cliprt_status code plus the thread-local last-error message.
#pragma once

#include <cassert>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace cliprt {

// Mirrors cliprt_status in include/cliprt/cliprt.h one to one (same values),
// so the C boundary converts with a cast checked by a static_assert there.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,    // a caller-supplied argument is unusable
  kNotFound = 2,           // a file, tensor or key that must exist does not
  kIoError = 3,            // the operating system refused a read/open/mmap
  kCorruptData = 4,        // a file or buffer violates its format
  kUnsupported = 5,        // valid input that this build does not handle
  kOutOfRange = 6,         // an index or size past a limit
  kResourceExhausted = 7,  // an allocation or configured limit was exceeded
  kFailedPrecondition = 8, // the object is not in a state that allows the call
  kInternal = 9,           // a bug in cliprt: an invariant did not hold
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "<code name>: <message>", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>", so callers can add
  // where an error happened without losing what it was.
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status IoError(std::string message);
Status CorruptDataError(std::string message);
Status UnsupportedError(std::string message);
Status OutOfRangeError(std::string message);
Status ResourceExhaustedError(std::string message);
Status FailedPreconditionError(std::string message);
Status InternalError(std::string message);

// Either a value or a non-OK Status. Accessing the value of an error is an
// internal invariant violation (asserted), never a path taken on bad input.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : data_(status) {  // NOLINT: implicit by design
    assert(!status.ok() && "StatusOr constructed from an OK status without a value");
    if (status.ok()) data_ = Status(StatusCode::kInternal, "StatusOr built from OK status without a value");
  }
  StatusOr(Status&& status) : data_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(data_).ok());
    if (std::get<Status>(data_).ok()) data_ = Status(StatusCode::kInternal, "StatusOr built from OK status without a value");
  }
  template <typename U = T,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, StatusOr<T>>>>
  StatusOr(U&& value) : data_(std::in_place_index<1>, std::forward<U>(value)) {}  // NOLINT

  bool ok() const { return data_.index() == 1; }
  Status status() const { return ok() ? Status::Ok() : std::get<0>(data_); }

  T& value() & { assert(ok()); return std::get<1>(data_); }
  const T& value() const& { assert(ok()); return std::get<1>(data_); }
  T&& value() && { assert(ok()); return std::get<1>(std::move(data_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> data_;
};

namespace internal {
inline Status AsStatus(const Status& s) { return s; }
template <typename T>
Status AsStatus(const StatusOr<T>& s) { return s.status(); }
}  // namespace internal

}  // namespace cliprt

#define CLIPRT_STATUS_CONCAT_INNER(a, b) a##b
#define CLIPRT_STATUS_CONCAT(a, b) CLIPRT_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status or StatusOr) failed.
#define RETURN_IF_ERROR(expr)                                                   \
  do {                                                                          \
    ::cliprt::Status cliprt_status_tmp_ = ::cliprt::internal::AsStatus(expr);   \
    if (!cliprt_status_tmp_.ok()) return cliprt_status_tmp_;                    \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, MakeX());` declares/assigns x from a StatusOr or
// returns its error from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(CLIPRT_STATUS_CONCAT(cliprt_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
