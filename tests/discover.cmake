# Lists the test functions of one QtTest binary and writes a CTest file with one test each.
# Called after the binary is built: -D TEST_EXECUTABLE, TEST_SUITE, TEST_TIMEOUT, CTEST_FILE.
execute_process(
    COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen "${TEST_EXECUTABLE}" -functions
    OUTPUT_VARIABLE listing
    ERROR_VARIABLE errors
    RESULT_VARIABLE rc
    TIMEOUT 60)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${TEST_SUITE} -functions failed (${rc}): ${errors}")
endif()

set(content "")
string(REPLACE "\n" ";" lines "${listing}")
foreach(line IN LISTS lines)
    if(line MATCHES "^([A-Za-z_][A-Za-z0-9_]*)\\(\\)$")
        set(fn "${CMAKE_MATCH_1}")
        string(APPEND content
            "add_test([=[${TEST_SUITE}::${fn}]=] [==[${TEST_EXECUTABLE}]==] ${fn})\n"
            "set_tests_properties([=[${TEST_SUITE}::${fn}]=] PROPERTIES"
            " TIMEOUT ${TEST_TIMEOUT} LABELS ${TEST_SUITE}"
            " ENVIRONMENT QT_QPA_PLATFORM=offscreen)\n")
    endif()
endforeach()
if(content STREQUAL "")
    message(FATAL_ERROR "${TEST_SUITE} lists no test functions")
endif()
file(WRITE "${CTEST_FILE}" "${content}")
