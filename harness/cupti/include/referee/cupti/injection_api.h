// Functions exported by libreferee_cupti_inject.so besides InitializeInjection. A worker that
// was started with CUDA_INJECTION64_PATH pointing at the library finds them with dlopen of the
// same path (the driver already loaded it, so the handle and state are shared) and dlsym, or
// with Python's ctypes.CDLL(path).
//
//   // worker, around one timed call of a candidate on stream `s`:
//   referee_cupti_window_begin(7, REFEREE_WINDOW_CALL);   // synchronises the context first
//   candidate(inputs, outputs, s);
//   referee_cupti_window_end(7, REFEREE_WINDOW_CALL, s);  // stream sync, then context sync
//   ...
//   referee_cupti_flush();   // hand all completed records to the parent now
//   referee_cupti_finish();  // final frame; also done at exit if the worker forgets
//
// Security note: these run inside the untrusted process, so a candidate can call them too. The
// parent therefore checks the window sequence against the calls it asked for and against its
// own wall-clock interval per call (attribution.h); forged or missing windows fail the run.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Window kinds; equal to referee::cupti::WindowKind.
#define REFEREE_WINDOW_CALL 1
#define REFEREE_WINDOW_HARNESS 2
#define REFEREE_WINDOW_SETUP 3

// Each returns 0 on success, a CUPTI/driver error code otherwise, or -1 when the library was
// not initialised by the driver (no trace fd).
int referee_cupti_window_begin(uint64_t window_id, int window_kind);
// `stream` is the CUstream the caller handed to the candidate (0 = legacy default stream).
int referee_cupti_window_end(uint64_t window_id, int window_kind, void* stream);
// cuptiActivityFlushAll(FORCED), then writes every completed record as frames.
int referee_cupti_flush(void);
// Flush, then write the final frame (with the dropped-record total). Idempotent.
int referee_cupti_finish(void);

#ifdef __cplusplus
}  // extern "C"
#endif
