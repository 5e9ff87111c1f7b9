// The AVX-VNNI int8 micro-kernel compiled a second time, as
// qs8_gemm_6x16__avxvnni_evex_twin, with the EVEX encoding of its one AVX-VNNI
// instruction (see the kernel's header comment). Built with the AVX512_VNNI
// flags; gemm_avxvnni_twin_test.cc runs it only on CPUs that have them.
#define CLIPRT_QS8_AVXVNNI_EVEX_TWIN 1
#include "kernels/avx2/qs8_gemm_6x16__avxvnni.cc"
