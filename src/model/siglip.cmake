# SigLIP towers (vision with the attention-pooling head, text); included by
# src/model/CMakeLists.txt.
target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/map_head.cc
  ${CMAKE_CURRENT_LIST_DIR}/siglip_vision_tower.cc
  ${CMAKE_CURRENT_LIST_DIR}/siglip_text_tower.cc)
