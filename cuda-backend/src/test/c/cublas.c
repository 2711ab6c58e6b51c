#include "emu.h"
/* cuBLAS emulation: see the next commit. */
