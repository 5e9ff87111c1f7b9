target_sources(cliprt_objects PRIVATE ${CMAKE_CURRENT_LIST_DIR}/preprocess_choice.cc)
