# ISA-specific compile flags, applied only to the kernel sources that need
# them, so the rest of the library stays portable x86-64 and the dispatch
# table (filled once from CPUID) decides at run time what executes.
set(CLIPRT_FLAGS_AVX2 -mavx2 -mfma -mf16c)
set(CLIPRT_FLAGS_AVX512 -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx2 -mfma -mf16c)
set(CLIPRT_FLAGS_AVX512_BF16 ${CLIPRT_FLAGS_AVX512} -mavx512bf16)
set(CLIPRT_FLAGS_AVX512_VNNI ${CLIPRT_FLAGS_AVX512} -mavx512vnni)
set(CLIPRT_FLAGS_AVX_VNNI ${CLIPRT_FLAGS_AVX2} -mavxvnni)

# cliprt_isa_sources(<target> <ISA> <sources...>): adds sources to <target>
# compiled with the flags of <ISA> (AVX2, AVX512, AVX512_BF16, AVX512_VNNI,
# AVX_VNNI). Off x86-64 the sources are skipped.
function(cliprt_isa_sources target isa)
  if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    return()
  endif()
  if(NOT DEFINED CLIPRT_FLAGS_${isa})
    message(FATAL_ERROR "cliprt_isa_sources: unknown ISA '${isa}'")
  endif()
  target_sources(${target} PRIVATE ${ARGN})
  set_source_files_properties(${ARGN} TARGET_DIRECTORY ${target}
    PROPERTIES COMPILE_OPTIONS "${CLIPRT_FLAGS_${isa}}")
endfunction()
