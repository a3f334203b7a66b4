#!/usr/bin/env bash
# C++ compiler wrapper used to build mmcv 2.0.1 against torch >= 2.6.
# mmcv 2.0.1's setup.py hard-codes -std=c++14; torch 2.14 headers require C++20.
# This rewrites any -std=c++1x / gnu++1x flag to -std=c++20 and calls the real compiler.
real="${MMTK_REAL_CXX:-g++}"
args=()
for a in "$@"; do
  case "$a" in
    -std=c++11|-std=c++14|-std=c++17|-std=gnu++11|-std=gnu++14|-std=gnu++17) args+=("-std=c++20") ;;
    *) args+=("$a") ;;
  esac
done
exec "$real" "${args[@]}"
