# GEMM: interface, driver, dispatch table, packing, scalar references and
# micro-kernels (one per file; ISA flags only on that ISA's sources).
target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/gemm.cc
  ${CMAKE_CURRENT_LIST_DIR}/gemm_dispatch.cc
  ${CMAKE_CURRENT_LIST_DIR}/gemm_pack.cc
  ${CMAKE_CURRENT_LIST_DIR}/gemm_self_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/ref/f32_gemm_ref.cc
  ${CMAKE_CURRENT_LIST_DIR}/ref/f32_gemm_epilogue_ref.cc
  ${CMAKE_CURRENT_LIST_DIR}/scalar/gemm_activation_scalar.cc
  ${CMAKE_CURRENT_LIST_DIR}/scalar/f32_gemm_4x8__scalar.cc
  ${CMAKE_CURRENT_LIST_DIR}/scalar/bf16_gemm_4x8__scalar.cc
  ${CMAKE_CURRENT_LIST_DIR}/scalar/qs8_gemm_4x8__scalar.cc)
cliprt_isa_sources(cliprt_objects AVX2
  ${CMAKE_CURRENT_LIST_DIR}/avx2/f32_gemm_6x16__avx2_fma.cc
  ${CMAKE_CURRENT_LIST_DIR}/avx2/bf16_gemm_4x16__avx2_fma.cc
  ${CMAKE_CURRENT_LIST_DIR}/avx2/qs8_gemm_4x16__avx2.cc)
cliprt_isa_sources(cliprt_objects AVX_VNNI
  ${CMAKE_CURRENT_LIST_DIR}/avx2/qs8_gemm_6x16__avxvnni.cc)
cliprt_isa_sources(cliprt_objects AVX512
  ${CMAKE_CURRENT_LIST_DIR}/avx512/f32_gemm_14x32__avx512f.cc
  ${CMAKE_CURRENT_LIST_DIR}/avx512/f32_gemv_1x128__avx512f.cc
  ${CMAKE_CURRENT_LIST_DIR}/avx512/bf16_gemm_12x32__avx512f.cc
  ${CMAKE_CURRENT_LIST_DIR}/avx512/gemm_pack_avx512.cc)
cliprt_isa_sources(cliprt_objects AVX512_BF16
  ${CMAKE_CURRENT_LIST_DIR}/avx512/bf16_gemm_14x32__avx512bf16.cc
  ${CMAKE_CURRENT_LIST_DIR}/avx512/bf16_gemv_1x128__avx512bf16.cc)
cliprt_isa_sources(cliprt_objects AVX512_VNNI
  ${CMAKE_CURRENT_LIST_DIR}/avx512/qs8_gemm_12x32__avx512vnni.cc)
