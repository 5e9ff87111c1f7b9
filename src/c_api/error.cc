#include "c_api/error.h"

#include <string>

namespace cliprt::c_api {
namespace {

thread_local std::string tl_last_error;

// cliprt_status mirrors StatusCode one to one.
static_assert(static_cast<int>(StatusCode::kOk) == CLIPRT_OK);
static_assert(static_cast<int>(StatusCode::kInvalidArgument) == CLIPRT_INVALID_ARGUMENT);
static_assert(static_cast<int>(StatusCode::kNotFound) == CLIPRT_NOT_FOUND);
static_assert(static_cast<int>(StatusCode::kIoError) == CLIPRT_IO_ERROR);
static_assert(static_cast<int>(StatusCode::kCorruptData) == CLIPRT_CORRUPT_DATA);
static_assert(static_cast<int>(StatusCode::kUnsupported) == CLIPRT_UNSUPPORTED);
static_assert(static_cast<int>(StatusCode::kOutOfRange) == CLIPRT_OUT_OF_RANGE);
static_assert(static_cast<int>(StatusCode::kResourceExhausted) == CLIPRT_RESOURCE_EXHAUSTED);
static_assert(static_cast<int>(StatusCode::kFailedPrecondition) == CLIPRT_FAILED_PRECONDITION);
static_assert(static_cast<int>(StatusCode::kInternal) == CLIPRT_INTERNAL);

}  // namespace

cliprt_status ReturnStatus(const Status& status) {
  if (status.ok()) return CLIPRT_OK;
  try {
    tl_last_error = status.message();
  } catch (...) {
    // Keeping the old message is better than letting bad_alloc escape.
  }
  return static_cast<cliprt_status>(status.code());
}

cliprt_status InvalidArgument(const char* function, const char* message) {
  return ReturnStatus(InvalidArgumentError(std::string(function) + ": " + message));
}

const char* LastErrorMessage() { return tl_last_error.c_str(); }

}  // namespace cliprt::c_api
