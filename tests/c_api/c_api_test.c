/* Compiles cliprt.h as strict C99 and exercises the conventions every C API
 * function follows: status codes, last-error messages, struct_size params,
 * _free(NULL), out-params written only on success. Plain C: no gtest. */
#include "cliprt/cliprt.h"

#include <stdio.h>
#include <string.h>

static int g_failures = 0;
static int g_checks = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    ++g_checks;                                                       \
    if (!(cond)) {                                                    \
      ++g_failures;                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

static int g_log_calls = 0;
static void CountingLog(cliprt_log_level level, const char* message, void* user_data) {
  (void)level;
  (void)message;
  *(int*)user_data += 1;
}

int main(void) {
  /* Version: header and library agree. */
  CHECK(strcmp(cliprt_version(), CLIPRT_VERSION_STRING) == 0);
  CHECK(cliprt_build_revision() != NULL);

  /* Status strings. */
  CHECK(strcmp(cliprt_status_string(CLIPRT_OK), "OK") == 0);
  CHECK(strcmp(cliprt_status_string(CLIPRT_CORRUPT_DATA), "CORRUPT_DATA") == 0);
  CHECK(strcmp(cliprt_status_string((cliprt_status)1234), "UNKNOWN") == 0);
  CHECK(strcmp(cliprt_last_error_message(), "") == 0);

  /* CPU info: NULL and too-small struct_size are errors with messages. */
  CHECK(cliprt_cpu_info_get(NULL) == CLIPRT_INVALID_ARGUMENT);
  CHECK(strstr(cliprt_last_error_message(), "info_out is NULL") != NULL);
  {
    cliprt_cpu_info info;
    memset(&info, 0xAB, sizeof(info));
    info.struct_size = 4;
    CHECK(cliprt_cpu_info_get(&info) == CLIPRT_INVALID_ARGUMENT);
    CHECK(info.features == (const char*)(void*)0 || info.detected_isa != CLIPRT_ISA_SCALAR ||
          1); /* untouched: only checked not to crash */
    info.struct_size = sizeof(info);
    CHECK(cliprt_cpu_info_get(&info) == CLIPRT_OK);
    CHECK(info.active_isa <= info.detected_isa);
    CHECK(info.hardware_threads >= 1);
    CHECK(info.features != NULL && info.isa_note != NULL);
    printf("detected %s, active %s (%s)\n", cliprt_isa_name(info.detected_isa),
           cliprt_isa_name(info.active_isa), info.isa_note);
  }

  /* Self-test: params with struct_size, handle with free, out-param. */
  {
    cliprt_self_test_params params = cliprt_self_test_default_params();
    cliprt_self_test_report* report = NULL;
    const char* line = NULL;
    size_t i;
    CHECK(params.struct_size == sizeof(params));
    CHECK(cliprt_self_test_run(&params, NULL) == CLIPRT_INVALID_ARGUMENT);
    params.struct_size = 1000;
    report = (cliprt_self_test_report*)0x1;
    CHECK(cliprt_self_test_run(&params, &report) == CLIPRT_INVALID_ARGUMENT);
    CHECK(report == (cliprt_self_test_report*)0x1); /* not written on failure */
    params = cliprt_self_test_default_params();
    params.num_threads = 5000;
    CHECK(cliprt_self_test_run(&params, &report) == CLIPRT_INVALID_ARGUMENT);
    params.num_threads = 2;
    CHECK(cliprt_self_test_run(&params, &report) == CLIPRT_OK);
    CHECK(cliprt_self_test_report_passed(report) == 1);
    CHECK(cliprt_self_test_report_count(report) > 0);
    for (i = 0; i < cliprt_self_test_report_count(report); ++i) {
      CHECK(cliprt_self_test_report_line(report, i, &line) == CLIPRT_OK);
      CHECK(line != NULL && strncmp(line, "pass", 4) == 0);
    }
    line = NULL;
    CHECK(cliprt_self_test_report_line(report, cliprt_self_test_report_count(report), &line) ==
          CLIPRT_OUT_OF_RANGE);
    CHECK(line == NULL);
    CHECK(strstr(cliprt_last_error_message(), "index") != NULL);
    CHECK(cliprt_self_test_report_line(NULL, 0, &line) == CLIPRT_INVALID_ARGUMENT);
    cliprt_self_test_report_free(report);
    /* NULL params mean defaults. */
    CHECK(cliprt_self_test_run(NULL, &report) == CLIPRT_OK);
    cliprt_self_test_report_free(report);
  }

  /* _free(NULL) is a no-op. */
  cliprt_self_test_report_free(NULL);

  /* Logging: install and remove a callback (the library never prints). */
  cliprt_log_set(CountingLog, &g_log_calls);
  cliprt_log_set(NULL, NULL);

  printf("%d passed, %d failed\n", g_checks - g_failures, g_failures);
  return g_failures == 0 ? 0 : 1;
}
