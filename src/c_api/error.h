// The C boundary's error plumbing: the only place a Status becomes a
// cliprt_status plus the thread-local last-error message.
#pragma once

#include "cliprt/cliprt.h"
#include "core/status.h"

namespace cliprt::c_api {

// Records `status` as the calling thread's last error (if not OK) and
// returns its code.
cliprt_status ReturnStatus(const Status& status);

// The calling thread's last error message ("" if none).
const char* LastErrorMessage();

// Shorthand for ReturnStatus(InvalidArgumentError(message)).
cliprt_status InvalidArgument(const char* function, const char* message);

}  // namespace cliprt::c_api

// Wraps a C API body so that no C++ exception (e.g. std::bad_alloc from a
// container) can cross the boundary: it becomes an error status instead.
#define CLIPRT_C_API_GUARD(body)                                                        \
  try {                                                                                 \
    body                                                                                \
  } catch (const std::bad_alloc&) {                                                     \
    return ::cliprt::c_api::ReturnStatus(::cliprt::ResourceExhaustedError("out of memory")); \
  } catch (const std::exception& e) {                                                   \
    return ::cliprt::c_api::ReturnStatus(                                               \
        ::cliprt::InternalError(std::string("unexpected exception: ") + e.what()));     \
  } catch (...) {                                                                       \
    return ::cliprt::c_api::ReturnStatus(::cliprt::InternalError("unexpected exception")); \
  }
