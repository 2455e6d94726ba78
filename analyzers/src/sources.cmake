# The audit driver (issue #3): input walking, parallel dispatch to the analyzers, rule tests.
# Compiled into referee_analyzers whether or not the Clang and Python analyzers are built.
list(APPEND REFEREE_ANALYZER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/audit.cc
  ${CMAKE_CURRENT_LIST_DIR}/audit_gate.cc
  ${CMAKE_CURRENT_LIST_DIR}/builtin_analyzers.cc
  ${CMAKE_CURRENT_LIST_DIR}/child_pool.cc
  ${CMAKE_CURRENT_LIST_DIR}/collect_inputs.cc
  ${CMAKE_CURRENT_LIST_DIR}/large_stack.cc
  ${CMAKE_CURRENT_LIST_DIR}/outcome_wire.cc
  ${CMAKE_CURRENT_LIST_DIR}/rule_test_runner.cc
  ${CMAKE_CURRENT_LIST_DIR}/rule_test_report.cc
  ${CMAKE_CURRENT_LIST_DIR}/suppressions.cc
)
list(APPEND REFEREE_ANALYZER_TEST_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/../tests/audit_driver_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/../tests/audit_rule_test_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/../tests/child_pool_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/../tests/outcome_wire_test.cc
)
find_package(Threads REQUIRED)
link_libraries(Threads::Threads)
