// Helpers shared by the C API translation units: run an internal function
// that returns Status and turn the result into a cliprt_status (naming the
// C function in the message), read versioned params structs, and cache the
// strings a result hands out.
#pragma once

#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <string>

#include "c_api/error.h"
#include "core/status.h"

namespace cliprt::c_api {

// The cliprt_status of `status`, its message prefixed with the C function.
inline cliprt_status Finish(const char* function, const Status& status) {
  if (status.ok()) return CLIPRT_OK;
  return ReturnStatus(status.WithContext(function));
}

// Runs `body` (a callable returning Status) so that no exception crosses
// the C boundary, and converts the outcome: every C function that can fail
// is `return Run("cliprt_x_y", [&] { ...; return Status::Ok(); });`.
template <typename Body>
cliprt_status Run(const char* function, Body&& body) noexcept {
  try {
    return Finish(function, body());
  } catch (const std::bad_alloc&) {
    return ReturnStatus(ResourceExhaustedError(std::string(function) + ": out of memory"));
  } catch (const std::exception& e) {
    return ReturnStatus(InternalError(std::string(function) + ": unexpected exception: " + e.what()));
  } catch (...) {
    return ReturnStatus(InternalError(std::string(function) + ": unexpected exception"));
  }
}

// InvalidArgument "<name> is NULL" unless p is set.
inline Status RequireNonNull(const void* p, const char* name) {
  if (p == nullptr) return InvalidArgumentError(std::string(name) + " is NULL");
  return Status::Ok();
}

// Copies the caller's params (the first struct_size bytes of *in, which may
// be an older, shorter version of T) over `defaults`. in == NULL keeps the
// defaults. A struct_size that is too small to hold struct_size itself or
// larger than this build's struct is an error.
template <typename T>
Status ReadParams(const T* in, const char* name, T* out) {
  if (in == nullptr) return Status::Ok();
  const uint32_t size = in->struct_size;
  if (size < sizeof(uint32_t) || size > sizeof(T)) {
    return InvalidArgumentError(std::string(name) + "->struct_size is " + std::to_string(size) +
                                ", expected " + std::to_string(sizeof(T)) +
                                " (initialize it with the matching _default_params())");
  }
  std::memcpy(static_cast<void*>(out), static_cast<const void*>(in), size);
  out->struct_size = sizeof(T);
  return Status::Ok();
}

// A caller-allocated out struct *out (some version of T): its struct_size
// must cover at least the first version of the struct (`first_version_size`,
// today sizeof(T)); the library then writes only the bytes the caller's
// version holds (CopyOut), so a program built against an older header keeps
// working when fields are appended.
template <typename T>
Status CheckOutStructSize(const T* out, const char* name, size_t first_version_size = sizeof(T)) {
  RETURN_IF_ERROR(RequireNonNull(out, name));
  if (out->struct_size < first_version_size) {
    return InvalidArgumentError(std::string(name) + "->struct_size is " + std::to_string(out->struct_size) +
                                ", expected at least " + std::to_string(first_version_size) +
                                " (set it to sizeof the struct)");
  }
  return Status::Ok();
}

template <typename T>
void CopyOut(const T& value, T* out) {
  const uint32_t caller_size = out->struct_size;
  const size_t n = caller_size < sizeof(T) ? caller_size : sizeof(T);
  std::memcpy(static_cast<void*>(out), static_cast<const void*>(&value), n);
  out->struct_size = caller_size;
}

// A string computed on first use and then kept: results hand out
// `const char*` that live as long as the result, and several threads may ask
// at once.
class CachedString {
 public:
  template <typename Make>
  const char* Get(Make&& make) const {
    std::call_once(once_, [&] { value_ = make(); });
    return value_.c_str();
  }

 private:
  mutable std::once_flag once_;
  mutable std::string value_;
};

}  // namespace cliprt::c_api
