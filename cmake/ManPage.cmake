# Generates the man page cartsim(1) with help2man from the program's own --help, adding one section per
# subcommand (its --help, verbatim). Run at build time:
#   cmake -DCARTSIM=<program> -DHELP2MAN=<help2man> -DOUT=<cartsim.1> -DWORK=<folder> -P ManPage.cmake
execute_process(COMMAND ${CARTSIM} --help OUTPUT_VARIABLE top RESULT_VARIABLE failed)
if(failed)
    message(FATAL_ERROR "ManPage.cmake: ${CARTSIM} --help failed")
endif()
# The subcommands are the indented first words after "Subcommands:".
string(FIND "${top}" "Subcommands:" at)
string(SUBSTRING "${top}" ${at} -1 listing)
string(REGEX MATCHALL "\n  [a-z]+ " words "${listing}")
set(include_text "[SUBCOMMANDS]\nEach subcommand prints its own help with \\fBcartsim\\fR \\fISUBCOMMAND\\fR \\fB--help\\fR:\n")
foreach(word ${words})
    string(STRIP "${word}" command)
    execute_process(COMMAND ${CARTSIM} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE failed)
    if(failed)
        message(FATAL_ERROR "ManPage.cmake: ${CARTSIM} ${command} --help failed")
    endif()
    string(REPLACE "\\" "\\e" help "${help}")
    string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" help "\n${help}")
    string(APPEND include_text ".SS ${command}\n.nf${help}.fi\n")
endforeach()
string(APPEND include_text "[FILES]\n.TP\n.I share/cartsim/scenarios\nproduct and population presets, examples, lessons, studies, validation and calibration files of an installed cartsim (found relative to the program; \\fBCARTSIM_DATA_DIR\\fR overrides)\n.TP\n.I share/cartsim/schema\nJSON Schemas of the YAML files, for editors (\\fBcartsim schema\\fR)\n")
string(APPEND include_text "[ENVIRONMENT]\n.TP\n.B CARTSIM_DATA_DIR\nfolder holding scenarios/ and plots/, used instead of the installed or source-tree one\n")
string(APPEND include_text "[EXIT STATUS]\n0 success, 1 a run failed (solver, output), 2 bad input (nothing is written).\n")
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/cartsim.h2m "${include_text}")
execute_process(COMMAND ${HELP2MAN} --no-info --section=1
                        "--name=CAR-T cell therapy versus multiple myeloma, a mechanistic simulator"
                        --include=${WORK}/cartsim.h2m --output=${OUT} ${CARTSIM}
                RESULT_VARIABLE failed)
if(failed)
    message(FATAL_ERROR "ManPage.cmake: help2man failed")
endif()
