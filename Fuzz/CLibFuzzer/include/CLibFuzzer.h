// libFuzzer's entry point for programs that keep their own main (LLVM >= 13, FuzzerInterface.h).
// Only the focused build (scripts/fuzz.sh, WSFUZZ_FOCUS=1) calls it and links the runtime
// (libclang_rt.fuzzer_no_main); in every other build this header is just an unused declaration.
#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
