# The Clang LibTooling analyzer for C++ and CUDA (issue #3). Needs LLVM/Clang 19; when they are
# missing the analyzer is left out (REFEREE_HAVE_CLANG_ANALYZER stays undefined).
# REFEREE_WITH_CLANG_ANALYZER=OFF leaves it out where LLVM is present: the sanitized CI build
# (scripts/sanitize.sh, scope nollvm) instruments the Python analyzer and the audit driver
# without ~25 minutes of LLVM headers under ASan.
option(REFEREE_WITH_CLANG_ANALYZER "Build the Clang analyzer (needs LLVM 19)" ON)
if(NOT REFEREE_WITH_CLANG_ANALYZER)
  message(STATUS "referee: REFEREE_WITH_CLANG_ANALYZER=OFF; the Clang analyzer is not built")
  return()
endif()
find_package(LLVM 19.1 CONFIG QUIET)
if(NOT LLVM_FOUND)
  message(STATUS "referee: LLVM 19 not found; the Clang analyzer is not built")
  return()
endif()
find_package(Clang REQUIRED CONFIG PATHS "${LLVM_LIBRARY_DIR}/cmake/clang" NO_DEFAULT_PATH)

set(_referee_clang_dir ${CMAKE_CURRENT_LIST_DIR})
# The CUDA stub header is embedded in the binary as a string (mapped as a virtual file).
file(READ ${_referee_clang_dir}/stub/referee_cuda_stub.h REFEREE_CUDA_STUB_TEXT)
file(READ ${_referee_clang_dir}/stub/thrust_complex.h REFEREE_THRUST_COMPLEX_TEXT)
configure_file(${_referee_clang_dir}/stub/cuda_stub_text.cc.in
               ${CMAKE_CURRENT_BINARY_DIR}/clang/cuda_stub_text.cc @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${_referee_clang_dir}/stub/referee_cuda_stub.h ${_referee_clang_dir}/stub/thrust_complex.h)

list(APPEND REFEREE_ANALYZER_SOURCES
  ${CMAKE_CURRENT_BINARY_DIR}/clang/cuda_stub_text.cc
  ${_referee_clang_dir}/clang_analyzer.cc
  ${_referee_clang_dir}/compile_args.cc
  ${_referee_clang_dir}/matcher_rules.cc
  ${_referee_clang_dir}/pass_runner.cc
  ${_referee_clang_dir}/preamble_cache.cc
  ${_referee_clang_dir}/finding_builder.cc
  ${_referee_clang_dir}/checks/check_util.cc
  ${_referee_clang_dir}/checks/register_checks.cc
  ${_referee_clang_dir}/checks/asm_file_embed_check.cc
  ${_referee_clang_dir}/checks/input_written_by_kernel_check.cc
  ${_referee_clang_dir}/checks/output_cache_check.cc
  ${_referee_clang_dir}/checks/oversized_shared_memory_check.cc
  ${_referee_clang_dir}/checks/static_state_gate_check.cc
  ${_referee_clang_dir}/checks/uninitialized_output_check.cc
  ${_referee_clang_dir}/checks/unjoined_side_stream_check.cc
)
list(APPEND REFEREE_ANALYZER_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/../../tests/clang_analyzer_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/../../tests/clang_checks_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/../../tests/clang_rules_test.cc
)

function(referee_analyzers_clang_deps target)
  target_include_directories(${target} SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
  separate_arguments(_llvm_defs NATIVE_COMMAND "${LLVM_DEFINITIONS}")
  target_compile_definitions(${target} PRIVATE ${_llvm_defs})
  target_compile_definitions(${target} PUBLIC REFEREE_HAVE_CLANG_ANALYZER)
  set_property(GLOBAL PROPERTY REFEREE_CLANG_ANALYZER_BUILT ON)  # fuzz/ asks
  target_compile_definitions(${target} PRIVATE
    REFEREE_CLANG_RESOURCE_DIR="${LLVM_LIBRARY_DIR}/clang/${LLVM_VERSION_MAJOR}")
  target_link_libraries(${target} PRIVATE clang-cpp LLVM)
endfunction()
