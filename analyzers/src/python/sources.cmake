# The tree-sitter Python analyzer (issue #4). Built only when the grammar fetched by
# scripts/setup.sh (third_party/tree-sitter-python, npm tree-sitter-python@0.23.6) and a tree-sitter
# runtime (third_party/tree-sitter, else Debian's libtree-sitter) are present; otherwise nothing is
# added and the rest of the build is unchanged.
set(_referee_py_grammar ${CMAKE_SOURCE_DIR}/third_party/tree-sitter-python/src)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  # Debian's tree-sitter.pc reports 0.6.3 for 0.20.7: no version check (research/feasibility §4).
  pkg_check_modules(REFEREE_TREE_SITTER QUIET IMPORTED_TARGET tree-sitter)
endif()
find_package(yaml-cpp QUIET)
set(_referee_ts_runtime ${CMAKE_SOURCE_DIR}/third_party/tree-sitter/lib)
if(NOT EXISTS ${_referee_py_grammar}/parser.c OR NOT yaml-cpp_FOUND OR
   (NOT REFEREE_TREE_SITTER_FOUND AND NOT EXISTS ${_referee_ts_runtime}/src/lib.c))
  message(STATUS "referee: Python analyzer disabled (grammar, tree-sitter or yaml-cpp missing)")
  return()
endif()

if(NOT TARGET referee_ts_python_grammar)
  # The grammar's own tree_sitter/parser.h sits next to parser.c and wins over Debian's old copy.
  add_library(referee_ts_python_grammar STATIC ${_referee_py_grammar}/parser.c
                                               ${_referee_py_grammar}/scanner.c)
  target_include_directories(referee_ts_python_grammar PRIVATE ${_referee_py_grammar})
  set_target_properties(referee_ts_python_grammar PROPERTIES C_STANDARD 11
                        POSITION_INDEPENDENT_CODE ON)
  target_compile_options(referee_ts_python_grammar PRIVATE -w)
endif()

set(_referee_py_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND REFEREE_ANALYZER_SOURCES
  ${_referee_py_dir}/audit_config.cc
  ${_referee_py_dir}/ts_util.cc
  ${_referee_py_dir}/nesting.cc
  ${_referee_py_dir}/module_index.cc
  ${_referee_py_dir}/file_context.cc
  ${_referee_py_dir}/submission.cc
  ${_referee_py_dir}/values.cc
  ${_referee_py_dir}/taint.cc
  ${_referee_py_dir}/scopes.cc
  ${_referee_py_dir}/timer_regions.cc
  ${_referee_py_dir}/predicates.cc
  ${_referee_py_dir}/regex_prefilter.cc
  ${_referee_py_dir}/query_structure.cc
  ${_referee_py_dir}/query_rule.cc
  ${_referee_py_dir}/query_set_shared.cc
  ${_referee_py_dir}/embedded.cc
  ${_referee_py_dir}/python_analyzer.cc
  ${_referee_py_dir}/checks/registry.cc
  ${_referee_py_dir}/checks/check_util.cc
  ${_referee_py_dir}/checks/output_cache_check.cc
  ${_referee_py_dir}/checks/side_stream_join_check.cc
  ${_referee_py_dir}/checks/validation_data_check.cc
  ${_referee_py_dir}/checks/metric_line_check.cc
  ${_referee_py_dir}/checks/work_before_timer_check.cc
  ${_referee_py_dir}/checks/warmup_restore_check.cc
  ${_referee_py_dir}/checks/unlaunched_kernel_check.cc
  ${_referee_py_dir}/checks/clock_scaling_check.cc
  ${_referee_py_dir}/checks/clock_without_sync_check.cc
  ${_referee_py_dir}/checks/seed_override_check.cc
  ${_referee_py_dir}/checks/unjoined_worker_check.cc
  ${_referee_py_dir}/checks/library_patch_check.cc
  ${_referee_py_dir}/checks/state_gate_check.cc
  ${_referee_py_dir}/checks/input_write_check.cc
  ${_referee_py_dir}/checks/mode_gate_check.cc
  ${_referee_py_dir}/checks/validation_glob_check.cc
  ${_referee_py_dir}/checks/file_persistence_check.cc
)
list(APPEND REFEREE_ANALYZER_TEST_SOURCES
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_test_util.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_resolver_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_robustness_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_scopes_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_query_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_query_set_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_regex_prefilter_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_config_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_embedded_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_rules_test.cc
  ${CMAKE_SOURCE_DIR}/analyzers/tests/python_audit_e2e_test.cc
)

# The tree-sitter runtime: built here from Debian's 0.20.7 source as fetched by scripts/setup.sh
# (third_party/tree-sitter, one field widened against a heap corruption: issue 20). Without it,
# Debian's libtree-sitter, which frees a wild pointer on a node of 65,536 children.
if(EXISTS ${_referee_ts_runtime}/src/lib.c AND NOT TARGET referee_ts_runtime)
  add_library(referee_ts_runtime STATIC ${_referee_ts_runtime}/src/lib.c)
  target_include_directories(referee_ts_runtime PUBLIC ${_referee_ts_runtime}/include
                             PRIVATE ${_referee_ts_runtime}/src)
  set_target_properties(referee_ts_runtime PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE ON)
  target_compile_options(referee_ts_runtime PRIVATE -w)
  target_compile_definitions(referee_ts_runtime PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
elseif(NOT TARGET referee_ts_runtime)
  message(WARNING "referee: third_party/tree-sitter missing (run scripts/setup.sh --deps); "
          "using Debian's libtree-sitter, which corrupts the heap on some inputs (issue 20)")
  # Debian's static libtree-sitter.a when present skips the shared library's PLT.
  find_library(REFEREE_TREE_SITTER_STATIC NAMES libtree-sitter.a
               HINTS ${REFEREE_TREE_SITTER_LIBRARY_DIRS} NO_CACHE)
endif()
function(referee_analyzers_python_deps target)
  if(TARGET referee_ts_runtime)
    target_link_libraries(${target} PRIVATE referee_ts_runtime)
  elseif(REFEREE_TREE_SITTER_STATIC)
    target_include_directories(${target} PRIVATE ${REFEREE_TREE_SITTER_INCLUDE_DIRS})
    target_link_libraries(${target} PRIVATE ${REFEREE_TREE_SITTER_STATIC})
  else()
    target_link_libraries(${target} PRIVATE PkgConfig::REFEREE_TREE_SITTER)
  endif()
  target_link_libraries(${target} PRIVATE referee_ts_python_grammar yaml-cpp)
  target_compile_definitions(${target} PUBLIC REFEREE_HAVE_PYTHON_ANALYZER
                             REFEREE_SOURCE_PYTHON_RULES_DIR="${CMAKE_SOURCE_DIR}/rules/python")
endfunction()
