// The part of LiteRT's C API (google-ai-edge/LiteRT, litert/c/*.h) that the Swift API the app uses stands on,
// declared here for this test package: types with their documented layout, and the functions as pointers that
// `LiteRtRuntimeLoad` fills from a libLiteRt.so at run time (the one in the ai-edge-litert wheel), so that the
// package builds without it and its tests say how to get it.
#ifndef EMOJI_LAB_CLITERT_RUNTIME_H_
#define EMOJI_LAB_CLITERT_RUNTIME_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Handles: opaque pointers owned by the runtime.
typedef struct LiteRtEnvironmentT *LiteRtEnvironment;
typedef struct LiteRtModelT *LiteRtModel;
typedef struct LiteRtOptionsT *LiteRtOptions;
typedef struct LiteRtCompiledModelT *LiteRtCompiledModel;
typedef struct LiteRtSignatureT *LiteRtSignature;
typedef struct LiteRtTensorT *LiteRtTensor;
typedef struct LiteRtTensorBufferT *LiteRtTensorBuffer;
typedef struct LiteRtTensorBufferRequirementsT *LiteRtTensorBufferRequirements;

typedef int LiteRtStatus;  // 0 is success (kLiteRtStatusOk)
typedef int LiteRtHwAcceleratorSet;  // bits: CPU 1, GPU 2, NPU 4
typedef int LiteRtTensorBufferType;  // host memory is 1
typedef int LiteRtTensorBufferLockMode;  // read 0, write 1
typedef int LiteRtElementType;  // float32 1, int32 2, ... (TfLiteType's numbers)

#define kLiteRtStatusOk 0
#define kLiteRtTensorBufferTypeHostMemory 1
#define kLiteRtTensorBufferLockModeRead 0
#define kLiteRtTensorBufferLockModeWrite 1
#define kLiteRtTensorMaxRank 8

// A tensor's shape: 68 bytes, the rank and a has-strides bit sharing the first 4.
typedef struct {
  unsigned int rank : 7;
  unsigned int has_strides : 1;
  int32_t dimensions[8];
  uint32_t strides[8];
} LiteRtLayout;

typedef struct {
  LiteRtElementType element_type;
  LiteRtLayout layout;
} LiteRtRankedTensorType;

// The functions the Swift API calls, loaded by name (each field is LiteRt<Name> in libLiteRt.so).
typedef struct {
  LiteRtStatus (*CreateEnvironment)(int num_options, const void *options, LiteRtEnvironment *environment);
  void (*DestroyEnvironment)(LiteRtEnvironment environment);
  LiteRtStatus (*CreateModelFromFile)(LiteRtEnvironment environment, const char *filename, LiteRtModel *model);
  void (*DestroyModel)(LiteRtModel model);
  LiteRtStatus (*GetModelSignature)(LiteRtModel model, size_t signature_index, LiteRtSignature *signature);
  LiteRtStatus (*GetNumSignatureInputs)(LiteRtSignature signature, size_t *count);
  LiteRtStatus (*GetNumSignatureOutputs)(LiteRtSignature signature, size_t *count);
  LiteRtStatus (*GetSignatureInputTensorByIndex)(LiteRtSignature signature, size_t index, LiteRtTensor *tensor);
  LiteRtStatus (*GetSignatureOutputTensorByIndex)(LiteRtSignature signature, size_t index, LiteRtTensor *tensor);
  LiteRtStatus (*GetRankedTensorType)(LiteRtTensor tensor, LiteRtRankedTensorType *type);
  LiteRtStatus (*CreateOptions)(LiteRtOptions *options);
  void (*DestroyOptions)(LiteRtOptions options);
  LiteRtStatus (*SetOptionsHardwareAccelerators)(LiteRtOptions options, LiteRtHwAcceleratorSet accelerators);
  LiteRtStatus (*GetOptionsHardwareAccelerators)(LiteRtOptions options, LiteRtHwAcceleratorSet *accelerators);
  LiteRtStatus (*CreateCompiledModel)(LiteRtEnvironment environment, LiteRtModel model, LiteRtOptions options,
                                      LiteRtCompiledModel *compiled_model);
  void (*DestroyCompiledModel)(LiteRtCompiledModel compiled_model);
  LiteRtStatus (*GetCompiledModelInputBufferRequirements)(LiteRtCompiledModel compiled_model, size_t signature_index,
                                                          size_t input_index,
                                                          LiteRtTensorBufferRequirements *requirements);
  LiteRtStatus (*GetCompiledModelOutputBufferRequirements)(LiteRtCompiledModel compiled_model, size_t signature_index,
                                                           size_t output_index,
                                                           LiteRtTensorBufferRequirements *requirements);
  LiteRtStatus (*GetTensorBufferRequirementsBufferSize)(LiteRtTensorBufferRequirements requirements, size_t *size);
  LiteRtStatus (*CreateManagedTensorBuffer)(LiteRtEnvironment environment, LiteRtTensorBufferType buffer_type,
                                            const LiteRtRankedTensorType *tensor_type, size_t buffer_size,
                                            LiteRtTensorBuffer *buffer);
  void (*DestroyTensorBuffer)(LiteRtTensorBuffer buffer);
  LiteRtStatus (*GetTensorBufferPackedSize)(LiteRtTensorBuffer buffer, size_t *size);
  LiteRtStatus (*LockTensorBuffer)(LiteRtTensorBuffer buffer, void **host_address, LiteRtTensorBufferLockMode mode);
  LiteRtStatus (*UnlockTensorBuffer)(LiteRtTensorBuffer buffer);
  LiteRtStatus (*RunCompiledModel)(LiteRtCompiledModel compiled_model, size_t signature_index, size_t num_inputs,
                                   LiteRtTensorBuffer *inputs, size_t num_outputs, LiteRtTensorBuffer *outputs);
} LiteRtRuntime;

// The runtime at `path`, loaded once (later calls return the same table and ignore `path`); NULL on failure, with
// the reason in `error` (dlerror's text, or the first function missing).
const LiteRtRuntime *LiteRtRuntimeLoad(const char *path, char *error, size_t error_size);

#endif  // EMOJI_LAB_CLITERT_RUNTIME_H_
