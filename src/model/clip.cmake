# CLIP ViT vision tower and CLIP text tower (included by src/model/CMakeLists.txt).
target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/vit_vision_tower.cc
  ${CMAKE_CURRENT_LIST_DIR}/clip_text_tower.cc)
