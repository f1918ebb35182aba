#!/bin/sh
# demo.sh - what `make demo` shows: the API tour and the command-line tool,
# run against the module just built for Lua 5.4.
set -eu
cd "$(dirname "$0")/.."
export LUA_PATH="./lua/?.lua;;"
export LUA_CPATH="./build/5.4/?.so;;"
run() { echo "\$ $*"; "$@"; echo; }
run lua5.4 examples/demo.lua
run lua5.4 bin/sipcodes 486
run lua5.4 bin/sipcodes --lang de 603
run lua5.4 bin/sipcodes 6xx
run lua5.4 bin/sipcodes busy
run lua5.4 bin/sipcodes --json 202
