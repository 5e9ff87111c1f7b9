/* Minimal C consumer of an installed cliprt. */
#include <cliprt/cliprt.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  cliprt_cpu_info info;
  memset(&info, 0, sizeof(info));
  info.struct_size = sizeof(info);
  if (strcmp(cliprt_version(), CLIPRT_VERSION_STRING) != 0) {
    fprintf(stderr, "header %s vs library %s\n", CLIPRT_VERSION_STRING, cliprt_version());
    return 1;
  }
  if (cliprt_cpu_info_get(&info) != CLIPRT_OK) {
    fprintf(stderr, "cliprt_cpu_info_get: %s\n", cliprt_last_error_message());
    return 1;
  }
  printf("C consumer: cliprt %s, active ISA %s\n", cliprt_version(), cliprt_isa_name(info.active_isa));
  return 0;
}
