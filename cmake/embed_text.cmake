# Turns a text file of ours (the HTML report's CSS and JavaScript) into a
# C++ source defining one std::string_view, so that contend-report carries
# it and the page it writes needs nothing from the network.
#   cmake -DINPUT=file -DOUTPUT=file.cpp -DSYMBOL=kName -P embed_text.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")contend_asset\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string's closing delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated at build time from ${INPUT}: edit that file instead.\n"
  "#include <string_view>\n"
  "namespace contend::analyze {\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} = R\"contend_asset(${content})contend_asset\";\n"
  "}  // namespace contend::analyze\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
