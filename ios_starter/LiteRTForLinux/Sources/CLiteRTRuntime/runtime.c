// Loads libLiteRt.so with dlopen and looks up each function the Swift API needs.
#include "CLiteRTRuntime.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static LiteRtRuntime runtime;
static const LiteRtRuntime *loaded;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define LOOK_UP(name)                                                              \
  do {                                                                             \
    *(void **)(&runtime.name) = dlsym(library, "LiteRt" #name);                    \
    if (runtime.name == NULL) {                                                    \
      snprintf(error, error_size, "%s has no function LiteRt%s", path, #name);     \
      dlclose(library);                                                            \
      return NULL;                                                                 \
    }                                                                              \
  } while (0)

static const LiteRtRuntime *load(const char *path, char *error, size_t error_size) {
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    snprintf(error, error_size, "%s", dlerror());
    return NULL;
  }
  LOOK_UP(CreateEnvironment);
  LOOK_UP(DestroyEnvironment);
  LOOK_UP(CreateModelFromFile);
  LOOK_UP(DestroyModel);
  LOOK_UP(GetModelSignature);
  LOOK_UP(GetNumSignatureInputs);
  LOOK_UP(GetNumSignatureOutputs);
  LOOK_UP(GetSignatureInputTensorByIndex);
  LOOK_UP(GetSignatureOutputTensorByIndex);
  LOOK_UP(GetRankedTensorType);
  LOOK_UP(CreateOptions);
  LOOK_UP(DestroyOptions);
  LOOK_UP(SetOptionsHardwareAccelerators);
  LOOK_UP(GetOptionsHardwareAccelerators);
  LOOK_UP(CreateCompiledModel);
  LOOK_UP(DestroyCompiledModel);
  LOOK_UP(GetCompiledModelInputBufferRequirements);
  LOOK_UP(GetCompiledModelOutputBufferRequirements);
  LOOK_UP(GetTensorBufferRequirementsBufferSize);
  LOOK_UP(CreateManagedTensorBuffer);
  LOOK_UP(DestroyTensorBuffer);
  LOOK_UP(GetTensorBufferPackedSize);
  LOOK_UP(LockTensorBuffer);
  LOOK_UP(UnlockTensorBuffer);
  LOOK_UP(RunCompiledModel);
  return &runtime;  // the library stays loaded for the life of the process
}

const LiteRtRuntime *LiteRtRuntimeLoad(const char *path, char *error, size_t error_size) {
  pthread_mutex_lock(&lock);
  if (loaded == NULL) {
    loaded = load(path, error, error_size);
  }
  const LiteRtRuntime *result = loaded;
  pthread_mutex_unlock(&lock);
  return result;
}
