# embed_files(OUTPUT <file.cpp> NAMESPACE <ns> FILES <name>=<path> ...)
# Generates a C++ source defining `std::string_view <ns>::<name>()` for each file, so data tables
# and JSON Schemas travel inside the library instead of being looked up on disk at run time.
function(embed_files)
  cmake_parse_arguments(EF "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  set(deps)
  set(args)
  foreach(pair IN LISTS EF_FILES)
    string(REPLACE "=" ";" kv "${pair}")
    list(GET kv 0 name)
    list(GET kv 1 path)
    list(APPEND deps "${path}")
    list(APPEND args "${name}=${path}")
  endforeach()
  add_custom_command(
    OUTPUT "${EF_OUTPUT}"
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${EF_OUTPUT} -DNAMESPACE=${EF_NAMESPACE}
            "-DFILES=${args}" -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    DEPENDS ${deps} ${CMAKE_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    COMMENT "Embedding ${EF_NAMESPACE} data"
    VERBATIM)
endfunction()
