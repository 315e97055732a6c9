# Options every contend target links: language level, warnings, sanitizers.
add_library(contend_options INTERFACE)
target_compile_options(contend_options INTERFACE
  -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wpedantic -Wconversion -Wno-sign-conversion -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough -Wparentheses)
if(CONTEND_WERROR)
  target_compile_options(contend_options INTERFACE -Werror)
endif()
target_compile_definitions(contend_options INTERFACE CONTEND_VERSION="${PROJECT_VERSION}")
target_include_directories(contend_options INTERFACE ${PROJECT_SOURCE_DIR}/include)

if(NOT CONTEND_SANITIZE STREQUAL "")
  target_compile_options(contend_options INTERFACE -fsanitize=${CONTEND_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(contend_options INTERFACE -fsanitize=${CONTEND_SANITIZE})
  # GCC's flow analysis sees the sanitizers' instrumentation, not the code:
  # with ASan at -O2 it reports std::regex's std::function members as maybe
  # uninitialized (launcher/sweep_reading.cpp); the release build keeps it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(contend_options INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()

# GCC 12 reports impossible overlaps in inlined std::string concatenation at
# -O2 and above (GCC bug 105651); the warning is noise there.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(contend_options INTERFACE -Wno-restrict)
endif()
