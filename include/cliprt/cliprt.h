/*
 * cliprt.h — the C API of cliprt (C99).
 *
 * cliprt runs CLIP-family models (OpenAI CLIP, OpenCLIP, SigLIP) on CPUs with
 * the same tokens, pixels and embeddings as the reference PyTorch code.
 *
 * Rules every declaration in this header follows
 * -----------------------------------------------
 * 1. Status: every call that can fail returns cliprt_status. CLIPRT_OK (0)
 *    means success; any other value is an error whose human-readable
 *    explanation (what was wrong and where: file, tensor, byte offset, text
 *    index, argument) is available from cliprt_last_error_message() on the
 *    same thread until that thread's next failing cliprt call.
 * 2. Out-parameters come last, are named *_out, and are written only on
 *    success. On failure they are left untouched.
 * 3. Objects are opaque handles created by cliprt_<object>_create (or a call
 *    that returns one through an _out parameter) and released by
 *    cliprt_<object>_free. Every _free accepts NULL and does nothing.
 * 4. Parameter structs come from cliprt_<object>_default_params() and begin
 *    with `uint32_t struct_size`, which the caller leaves as set (it is
 *    sizeof the struct the caller compiled against). New fields are only ever
 *    appended, so a program built against an older header keeps working with
 *    a newer library.
 * 5. No exception, abort or exit() crosses this boundary, and bad input
 *    (files, images, text, arguments) never crashes: it returns an error.
 * 6. The library never prints. Diagnostics go to the callback installed with
 *    cliprt_log_set(); without one they are dropped.
 * 7. Strings passed in are UTF-8 and NUL-terminated unless a length is given.
 *    Strings returned are owned by the object they come from (or are static)
 *    and stay valid as stated per function; never free them.
 * 8. Thread-safety is stated per function. Functions without such a note are
 *    safe to call from any thread at any time.
 */
#ifndef CLIPRT_CLIPRT_H_
#define CLIPRT_CLIPRT_H_

#include <stddef.h>
#include <stdint.h>

#include "cliprt/version.h"

#if defined(_WIN32) && defined(CLIPRT_BUILDING_LIBRARY)
#define CLIPRT_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define CLIPRT_API __attribute__((visibility("default")))
#else
#define CLIPRT_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status and errors                                                        */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_status {
  CLIPRT_OK = 0,
  CLIPRT_INVALID_ARGUMENT = 1,    /* an argument is NULL, out of range or inconsistent */
  CLIPRT_NOT_FOUND = 2,           /* a file, tensor or key that must exist does not */
  CLIPRT_IO_ERROR = 3,            /* the OS refused a read, open or mmap */
  CLIPRT_CORRUPT_DATA = 4,        /* a file or buffer violates its format */
  CLIPRT_UNSUPPORTED = 5,         /* valid input this build does not handle */
  CLIPRT_OUT_OF_RANGE = 6,        /* an index or size is past a limit */
  CLIPRT_RESOURCE_EXHAUSTED = 7,  /* out of memory, or a configured limit was exceeded */
  CLIPRT_FAILED_PRECONDITION = 8, /* the object is not in a state that allows the call */
  CLIPRT_INTERNAL = 9             /* a bug in cliprt; please report it */
} cliprt_status;

/* Stable upper-case name of a status, e.g. "INVALID_ARGUMENT". Never NULL;
 * unknown values give "UNKNOWN". The string is static. */
CLIPRT_API const char* cliprt_status_string(cliprt_status status);

/* Message of the most recent failing cliprt call on the calling thread, or
 * "" if none has failed. Thread-local: valid until the calling thread's next
 * failing cliprt call. Never NULL. */
CLIPRT_API const char* cliprt_last_error_message(void);

/* ------------------------------------------------------------------------ */
/* Version and build                                                        */
/* ------------------------------------------------------------------------ */

/* Library version, e.g. "0.1.0" (static string). The header's
 * CLIPRT_VERSION_STRING is the version a program was compiled against. */
CLIPRT_API const char* cliprt_version(void);

/* Git revision the library was built from, or "unknown" (static string). */
CLIPRT_API const char* cliprt_build_revision(void);

/* ------------------------------------------------------------------------ */
/* Logging                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_log_level {
  CLIPRT_LOG_DEBUG = 0,
  CLIPRT_LOG_INFO = 1,
  CLIPRT_LOG_WARNING = 2,
  CLIPRT_LOG_ERROR = 3
} cliprt_log_level;

/* Receives one diagnostic. `message` is valid only during the call. May be
 * called from any thread, concurrently; it must not call back into cliprt. */
typedef void (*cliprt_log_callback)(cliprt_log_level level, const char* message,
                                    void* user_data);

/* Installs the process-wide log callback (NULL removes it). `user_data` is
 * passed through untouched. Thread-safe. */
CLIPRT_API void cliprt_log_set(cliprt_log_callback callback, void* user_data);

/* ------------------------------------------------------------------------ */
/* CPU and kernel dispatch                                                  */
/* ------------------------------------------------------------------------ */

typedef enum cliprt_isa {
  CLIPRT_ISA_SCALAR = 0, /* portable C++ (the reference) */
  CLIPRT_ISA_AVX2 = 1,   /* AVX2 + FMA + F16C */
  CLIPRT_ISA_AVX512 = 2  /* AVX-512 F/BW/VL/DQ */
} cliprt_isa;

typedef struct cliprt_cpu_info {
  uint32_t struct_size;     /* set by the caller to sizeof(cliprt_cpu_info) */
  cliprt_isa detected_isa;  /* highest level this CPU and OS support */
  cliprt_isa active_isa;    /* level kernels use (CLIPRT_ISA may lower it) */
  int32_t hardware_threads; /* std::thread::hardware_concurrency(), >= 1 */
  const char* features;     /* e.g. "avx2 fma f16c avx512f ..." (static) */
  const char* vendor;       /* CPUID vendor, "" off x86 (static) */
  const char* brand;        /* CPUID brand string, "" off x86 (static) */
  const char* isa_note;     /* why active_isa has its value (static) */
} cliprt_cpu_info;

/* Fills *info_out. The caller sets info_out->struct_size first; fields past
 * that size are not written. CLIPRT_INVALID_ARGUMENT if info_out is NULL or
 * struct_size is smaller than the first version of the struct. */
CLIPRT_API cliprt_status cliprt_cpu_info_get(cliprt_cpu_info* info_out);

/* Name of an ISA level: "scalar", "avx2" or "avx512" (static string). */
CLIPRT_API const char* cliprt_isa_name(cliprt_isa isa);

/* ------------------------------------------------------------------------ */
/* Kernel self-test                                                         */
/* ------------------------------------------------------------------------ */

typedef struct cliprt_self_test_params {
  uint32_t struct_size; /* sizeof(cliprt_self_test_params); set by default_params */
  int32_t num_threads;  /* threads for the multi-threaded checks; <= 0: hardware threads */
  uint32_t seed;        /* seed of the random test data */
} cliprt_self_test_params;

/* Defaults: struct_size set, num_threads 0 (hardware), seed 1. */
CLIPRT_API cliprt_self_test_params cliprt_self_test_default_params(void);

/* Opaque result of a self-test run. */
typedef struct cliprt_self_test_report cliprt_self_test_report;

/* Runs every kernel at every ISA level this CPU supports against the scalar
 * reference kernels and records each comparison. A kernel that disagrees is a
 * *result* (see cliprt_self_test_report_passed), not an error status; errors
 * are for bad params or exhausted resources. `params` may be NULL (defaults).
 * On success *report_out owns a new report; free it with
 * cliprt_self_test_report_free. Thread-safe. */
CLIPRT_API cliprt_status cliprt_self_test_run(const cliprt_self_test_params* params,
                                              cliprt_self_test_report** report_out);

/* 1 if every check in the report passed, else 0. `report` must not be NULL. */
CLIPRT_API int cliprt_self_test_report_passed(const cliprt_self_test_report* report);

/* Number of checks in the report. */
CLIPRT_API size_t cliprt_self_test_report_count(const cliprt_self_test_report* report);

/* One human-readable line per check, e.g.
 * "pass f32_gemm avx512 M=7 N=33 K=65: max rel err 1.2e-07 (bound 1e-05)".
 * CLIPRT_OUT_OF_RANGE if index >= count. The string lives as long as the
 * report. */
CLIPRT_API cliprt_status cliprt_self_test_report_line(const cliprt_self_test_report* report,
                                                      size_t index, const char** line_out);

/* Frees a report. NULL is a no-op. */
CLIPRT_API void cliprt_self_test_report_free(cliprt_self_test_report* report);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CLIPRT_CLIPRT_H_ */
