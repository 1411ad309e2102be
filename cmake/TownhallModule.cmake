# townhall_module(): one core module, its own CMake target with the modules it may use.
#
#   townhall_module(NAME charter DEPS calendar util)
#
# builds core/src/<NAME>/*.cpp (plus SOURCES, if given) into the object library townhall_<NAME>,
# whose public headers are core/include/townhall/<NAME>/ (HEADER_DIRS overrides, relative to
# core/include/townhall/). Two checks keep the graph honest:
#   - configuring fails, naming the cycle, when the declared dependencies form one
#     (townhall_check_module_graph(), called once every module is declared);
#   - building fails when a source or public header of a module includes a header of a module it
#     has not declared, directly or through its dependencies ("townhall/<module>/…"), naming the file
#     and the line: the check runs whenever one of the module's files changes.
# So a module cannot come to need a module above it without the build saying so.

set(TOWNHALL_MODULE_CHECK_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/TownhallModuleCheck.cmake)

function(townhall_module)
  cmake_parse_arguments(M "" "NAME" "DEPS;SOURCES;HEADER_DIRS" ${ARGN})
  if(NOT M_NAME)
    message(FATAL_ERROR "townhall_module: NAME is required")
  endif()
  set(src_dir ${CMAKE_CURRENT_SOURCE_DIR}/src/${M_NAME})
  file(GLOB sources CONFIGURE_DEPENDS ${src_dir}/*.cpp)
  list(APPEND sources ${M_SOURCES})
  if(NOT M_HEADER_DIRS)
    set(M_HEADER_DIRS ${M_NAME})
  endif()
  set(headers)
  set(header_prefixes)
  foreach(h IN LISTS M_HEADER_DIRS)
    file(GLOB found CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/include/townhall/${h}/*.h)
    list(APPEND headers ${found})
    list(APPEND header_prefixes ${h})
  endforeach()
  file(GLOB private_headers CONFIGURE_DEPENDS ${src_dir}/*.h)

  add_library(townhall_${M_NAME} OBJECT ${sources})
  set_target_properties(townhall_${M_NAME} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(townhall_${M_NAME} PUBLIC townhall_core_usage)

  set_property(GLOBAL APPEND PROPERTY TOWNHALL_MODULES ${M_NAME})
  set_property(GLOBAL PROPERTY TOWNHALL_MODULE_DEPS_${M_NAME} ${M_DEPS})
  set_property(GLOBAL PROPERTY TOWNHALL_MODULE_HEADER_DIRS_${M_NAME} ${header_prefixes})
  set_property(GLOBAL PROPERTY TOWNHALL_MODULE_FILES_${M_NAME} ${sources} ${headers} ${private_headers})
endfunction()

# Follows DEPS from module `m`; fails with the cycle when it comes back to a module on the path.
function(_townhall_visit m path result_var)
  if(m IN_LIST path)
    list(APPEND path ${m})
    list(JOIN path " -> " shown)
    message(FATAL_ERROR "core modules form a cycle: ${shown}\n"
                        "A module may use only modules below it (docs/architecture.md); move the "
                        "shared part down or the caller up.")
  endif()
  get_property(known GLOBAL PROPERTY TOWNHALL_MODULES)
  if(NOT m IN_LIST known)
    list(GET path -1 from)
    message(FATAL_ERROR "core module '${from}' declares a dependency on '${m}', which is not a module")
  endif()
  list(APPEND path ${m})
  get_property(deps GLOBAL PROPERTY TOWNHALL_MODULE_DEPS_${m})
  set(closure ${m})
  foreach(d IN LISTS deps)
    _townhall_visit(${d} "${path}" sub)
    list(APPEND closure ${sub})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  set(${result_var} ${closure} PARENT_SCOPE)
endfunction()

# After every townhall_module(): the cycle check, each module's include check, the graph for
# docs/architecture.md (build/core/module-graph.txt) and the lists townhall_core is built from.
function(townhall_check_module_graph)
  get_property(modules GLOBAL PROPERTY TOWNHALL_MODULES)
  set(graph "")
  foreach(m IN LISTS modules)
    _townhall_visit(${m} "" closure)
    # The header folders this module may include: its own and those of everything below it.
    set(allowed)
    foreach(c IN LISTS closure)
      get_property(dirs GLOBAL PROPERTY TOWNHALL_MODULE_HEADER_DIRS_${c})
      list(APPEND allowed ${dirs})
    endforeach()
    set(all_dirs)
    foreach(other IN LISTS modules)
      get_property(dirs GLOBAL PROPERTY TOWNHALL_MODULE_HEADER_DIRS_${other})
      list(APPEND all_dirs ${dirs})
    endforeach()
    get_property(files GLOBAL PROPERTY TOWNHALL_MODULE_FILES_${m})
    set(stamp ${CMAKE_CURRENT_BINARY_DIR}/module-check/${m}.stamp)
    list(JOIN allowed "," allowed_arg)
    list(JOIN all_dirs "," all_arg)
    list(JOIN files "," files_arg)
    add_custom_command(
      OUTPUT ${stamp}
      COMMAND ${CMAKE_COMMAND} -DMODULE=${m} -DALLOWED=${allowed_arg} -DKNOWN=${all_arg}
              -DFILES=${files_arg} -DSTAMP=${stamp} -P ${TOWNHALL_MODULE_CHECK_SCRIPT}
      DEPENDS ${files} ${TOWNHALL_MODULE_CHECK_SCRIPT}
      COMMENT "Checking the includes of core module ${m}"
      VERBATIM)
    add_custom_target(townhall_${m}_includes DEPENDS ${stamp})
    add_dependencies(townhall_${m} townhall_${m}_includes)
    get_property(deps GLOBAL PROPERTY TOWNHALL_MODULE_DEPS_${m})
    list(JOIN deps " " deps_text)
    string(APPEND graph "${m}: ${deps_text}\n")
  endforeach()
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/module-graph.txt "${graph}")
endfunction()
