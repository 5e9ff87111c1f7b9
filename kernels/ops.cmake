target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ops_self_test.cc)
