target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ref/f32_gemm_ref.cc
  ${CMAKE_CURRENT_LIST_DIR}/gemm_self_test.cc)
