# Run by the build (cmake -P) for one core module: every `#include "townhall/<dir>/…"` in the
# module's files must name a header folder the module may use (ALLOWED: its own and those of the
# modules it declares, directly or below). An include of another module's folder (KNOWN) that is
# not allowed fails the build with the file, the line and the dependency that is missing.
# Inputs: MODULE, ALLOWED, KNOWN, FILES (comma-separated), STAMP (touched when all is well).
cmake_minimum_required(VERSION 3.16)
string(REPLACE "," ";" allowed "${ALLOWED}")
string(REPLACE "," ";" known "${KNOWN}")
string(REPLACE "," ";" files "${FILES}")
set(problems "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]townhall/[A-Za-z0-9_]+/")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]townhall/([A-Za-z0-9_]+)/.*$" "\\1" dir "${line}")
    if(dir IN_LIST known AND NOT dir IN_LIST allowed)
      string(STRIP "${line}" shown)
      string(APPEND problems "  ${f}: ${shown}\n")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "core module '${MODULE}' includes headers of modules it does not depend on:\n"
                      "${problems}"
                      "Declare the dependency in core/CMakeLists.txt (townhall_module DEPS) if it "
                      "belongs below '${MODULE}', or move the code so that it does.")
endif()
file(TOUCH "${STAMP}")
