#ifndef LAPIS_DEFAULT_MODEL_BYTES_H
#define LAPIS_DEFAULT_MODEL_BYTES_H

#include <stddef.h>

/// The bytes of Models/default.lapis, compiled into the binary (see default_model.c).
const unsigned char *lapis_default_model_bytes(void);

/// How many bytes `lapis_default_model_bytes()` points to.
size_t lapis_default_model_count(void);

#endif
