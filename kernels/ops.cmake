# Ops half of the kernels (included from kernels/CMakeLists.txt): attention,
# normalization, activations, softmax, convolution, pooling. Portable sources
# first; per-ISA kernels get their flags from cliprt_isa_sources().
set(_ops ${CMAKE_CURRENT_LIST_DIR})
target_sources(cliprt_objects PRIVATE
  ${_ops}/ops_self_test.cc
  ${_ops}/ops_dispatch.cc
  ${_ops}/ops.cc
  ${_ops}/attention.cc
  ${_ops}/conv2d.cc
  ${_ops}/batchnorm_fold.cc
  ${_ops}/avg_pool2d.cc
  ${_ops}/ref/f32_ops_ref.cc
  ${_ops}/scalar/f32_layernorm__scalar.cc
  ${_ops}/scalar/f32_softmax__scalar.cc
  ${_ops}/scalar/f32_l2_normalize__scalar.cc
  ${_ops}/scalar/f32_activations__scalar.cc
  ${_ops}/scalar/f32_attention_4x2v__scalar.cc)
cliprt_isa_sources(cliprt_objects AVX2
  ${_ops}/avx2/f32_layernorm__avx2.cc
  ${_ops}/avx2/f32_softmax__avx2.cc
  ${_ops}/avx2/f32_l2_normalize__avx2.cc
  ${_ops}/avx2/f32_activations__avx2.cc
  ${_ops}/avx2/f32_attention_4x2v__avx2.cc)
cliprt_isa_sources(cliprt_objects AVX512
  ${_ops}/avx512/f32_layernorm__avx512.cc
  ${_ops}/avx512/f32_softmax__avx512.cc
  ${_ops}/avx512/f32_l2_normalize__avx512.cc
  ${_ops}/avx512/f32_activations__avx512.cc
  ${_ops}/avx512/f32_attention_6x2v__avx512.cc)
unset(_ops)
