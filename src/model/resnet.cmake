# OpenAI ModifiedResNet image tower (included by src/model/CMakeLists.txt).
target_sources(cliprt_objects PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/attention_pool2d.cc
  ${CMAKE_CURRENT_LIST_DIR}/modified_resnet_tower.cc)
