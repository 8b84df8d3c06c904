// The default four-topic model, compiled into every binary that links Lapis, so that one
// `lapis` file is complete wherever it is copied. C23 #embed reads ../default.lapis at compile
// time, found relative to this file like a quoted #include (no path flags, no generated
// source, no second copy of the model in git); clang lists the file in its dependency output,
// so SwiftPM rebuilds this object when the model changes.
#include "LapisDefaultModelBytes.h"

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char model[] = {
#embed "../default.lapis"
};

const unsigned char *lapis_default_model_bytes(void) { return model; }

size_t lapis_default_model_count(void) { return sizeof model; }
