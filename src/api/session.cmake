target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/preprocess_choice.cc
  ${CMAKE_CURRENT_LIST_DIR}/loaded_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/replay.cc)
